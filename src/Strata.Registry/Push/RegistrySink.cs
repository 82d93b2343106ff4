using System.Net;
using System.Net.Http.Headers;
using Strata.Core;
using Strata.Images.Transfer;
using Strata.Registry.Transport;

namespace Strata.Registry.Push;

/// <summary>
/// A registry repository as an image sink (push): each layer, then the config, goes up as a
/// blob (<see cref="BlobUpload"/>: skipped when present, mounted when known elsewhere in the
/// registry, else uploaded), the manifest last under each name's tag (or its digest), so a tag
/// never names a manifest whose blobs are missing. Safe for concurrent
/// <see cref="WriteLayerAsync"/> calls. A registry has no transaction: <see cref="CommitAsync"/>
/// has nothing left to publish.
/// </summary>
public sealed class RegistrySink : IImageSink
{
    private readonly RegistryClient _client;
    private readonly ImageReference _repository;
    private readonly BlobUpload _upload;
    private readonly IPushProgress? _progress;

    public RegistrySink(RegistryClient client, ImageReference repository, PushOptions options, IPushProgress? progress)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(options);
        _client = client;
        _repository = repository;
        _progress = progress;
        _upload = new BlobUpload(client, repository, options, progress is null ? null : progress.Resumed);
    }

    public string Name => _repository.Repository;

    /// <summary>The last manifest or index this sink put (what a compressing sink in front made of the image).</summary>
    public Descriptor? LastPut { get; private set; }

    public async Task WriteLayerAsync(Descriptor layer, DiffId diffId, Func<CancellationToken, Task<Stream>> open, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(layer);
        var progress = _progress;
        var (state, from) = await _upload.PushAsync(layer, open, $"{Name}: blob {layer.Digest}", progress is null ? null : sent => progress.Uploading(layer, sent), cancellationToken).ConfigureAwait(false);
        _progress?.Layer(layer, state, from);
    }

    public async Task WriteImageAsync(ImageDocuments image, IReadOnlyList<ImageReference> names, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(names);
        var config = image.Manifest.Config;
        await _upload.PushAsync(config, _ => Task.FromResult<Stream>(new MemoryStream(image.ConfigBytes, writable: false)), $"{Name}: config {config.Digest}", null, cancellationToken).ConfigureAwait(false);
        await PutManifestAsync(image.ManifestDescriptor, image.ManifestBytes, names, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Pushes an index whose children (manifests, pushed through <see cref="WriteImageAsync"/>
    /// with no names) are already in the repository, under <paramref name="names"/>.
    /// </summary>
    public Task WriteIndexAsync(Descriptor index, byte[] indexBytes, IReadOnlyList<ImageReference> names, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(indexBytes);
        if (!MediaTypes.IsIndex(index.MediaType)) throw new InvalidArgumentException($"{Name}: {index.Digest} is a {index.MediaType}, not an index");
        ImageDocuments.ParseIndex(index, indexBytes, Name);
        if (Digest.Compute(indexBytes) != index.Digest) throw new DigestMismatchException(index.Digest, Digest.Compute(indexBytes), $"{Name}: index");
        return PutManifestAsync(index, indexBytes, names, cancellationToken);
    }

    /// <summary>
    /// Pushes an artifact's OCI image manifest whose config is not an image config (a build
    /// cache): the config blob, then the manifest under each name's tag. Its layers were written
    /// through <see cref="WriteLayerAsync"/>. The manifest must be unambiguous and name exactly these config bytes.
    /// </summary>
    public async Task WriteArtifactAsync(Descriptor manifest, byte[] manifestBytes, byte[] configBytes, IReadOnlyList<ImageReference> names, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(manifestBytes);
        ArgumentNullException.ThrowIfNull(configBytes);
        ArgumentNullException.ThrowIfNull(names);
        if (!MediaTypes.IsManifest(manifest.MediaType)) throw new InvalidArgumentException($"{Name}: {manifest.Digest} is a {manifest.MediaType}, not an image manifest");
        if (Digest.Compute(manifestBytes) != manifest.Digest) throw new DigestMismatchException(manifest.Digest, Digest.Compute(manifestBytes), $"{Name}: manifest");
        var config = ImageDocuments.ParseManifest(manifest, manifestBytes, Name).Config;
        if (Digest.Compute(configBytes) != config.Digest || configBytes.Length != config.Size)
            throw new DigestMismatchException(config.Digest, Digest.Compute(configBytes), $"{Name}: config");
        await _upload.PushAsync(config, _ => Task.FromResult<Stream>(new MemoryStream(configBytes, writable: false)), $"{Name}: config {config.Digest}", null, cancellationToken).ConfigureAwait(false);
        await PutManifestAsync(manifest, manifestBytes, names, cancellationToken).ConfigureAwait(false);
    }

    public Task CommitAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>PUT under each name's tag, or once by digest when no name has a tag.</summary>
    private async Task PutManifestAsync(Descriptor manifest, byte[] bytes, IReadOnlyList<ImageReference> names, CancellationToken cancellationToken)
    {
        var tags = names.Where(n => n.Tag is not null && n.Repository == _repository.Repository).Select(n => n.Tag!).Distinct().ToList();
        if (tags.Count == 0) tags.Add(manifest.Digest.ToString());
        foreach (var tag in tags)
        {
            var what = $"{Name}:{tag}";
            var uri = await _client.ApiUriAsync(_repository, $"manifests/{tag}", cancellationToken).ConfigureAwait(false);
            using var response = await _client.SendAsync(_repository, () =>
            {
                var content = new ByteArrayContent(bytes);
                content.Headers.ContentType = new MediaTypeHeaderValue(manifest.MediaType);
                return new HttpRequestMessage(HttpMethod.Put, uri) { Content = content };
            }, uri, what, cancellationToken, followRedirects: false).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.Created) throw await RegistryClient.ErrorAsync(response, what, cancellationToken).ConfigureAwait(false);
            if (response.Headers.TryGetValues("Docker-Content-Digest", out var said) && Digest.TryParse(said.FirstOrDefault(), out var stored) && stored != manifest.Digest)
                throw new DigestMismatchException(manifest.Digest, stored, $"{what}: the registry stored the manifest as");
        }
        LastPut = manifest;
    }
}
