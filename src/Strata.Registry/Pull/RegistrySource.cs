using System.Collections.Concurrent;
using Strata.Core;
using Strata.Images.Transfer;
using Strata.Registry.Configuration;
using Strata.Registry.Transport;

namespace Strata.Registry.Pull;

/// <summary>
/// One reference in a registry as an image source (pull): <see cref="ListAsync"/> offers the
/// manifest or index the reference names; documents are fetched by digest and checked
/// (manifests by media type, digest and size; configs as capped blobs); layers stream from the
/// registry through a <c>VerifyingReadStream</c> (or, into the store, unhashed: <see cref="LayerDownload"/>), resumed with <c>Range</c> where a connection
/// breaks, big ones in parallel ranges when <see cref="ParallelRanges"/> are given. Documents
/// already fetched are served from memory, so resolving an index and then reading its manifest
/// costs one request each. With mirrors in registries.conf the root manifest is asked of each in
/// turn, then of the origin; every later request goes where it was found (<see cref="MirrorFallback"/>).
/// </summary>
public sealed class RegistrySource : IImageSource
{
    private readonly RegistryClient _client;
    private readonly ImageReference _reference;
    private readonly ConcurrentDictionary<Digest, byte[]> _documents = new();
    private readonly ParallelRanges? _ranges;
    private SourceImage? _root;
    private ImageReference? _endpoint;

    public RegistrySource(RegistryClient client, ImageReference reference)
        : this(client, reference, null)
    {
    }

    /// <param name="ranges">How big layers are fetched in parallel ranges; null: every blob as one (resumable) stream.</param>
    public RegistrySource(RegistryClient client, ImageReference reference, ParallelRanges? ranges)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(reference);
        _client = client;
        _reference = reference;
        _ranges = ranges;
    }

    public string Name => _reference.ToString();

    /// <summary>The reference's root (a manifest or an index), under the reference's name when it has a tag.</summary>
    public async Task<IReadOnlyList<SourceImage>> ListAsync(CancellationToken cancellationToken)
    {
        if (_root is null)
        {
            var tagOrDigest = _reference.Digest?.ToString() ?? _reference.Tag ?? ImageReference.DefaultTag;
            var (endpoint, response) = await MirrorFallback.GetManifestAsync(_client, _reference, tagOrDigest, Name, cancellationToken).ConfigureAwait(false);
            _endpoint = endpoint;
            _documents[response.Descriptor.Digest] = response.Bytes;
            _root = new SourceImage(response.Descriptor, _reference.Tag is not null && _reference.Digest is null ? [_reference] : []);
        }
        return [_root];
    }

    /// <summary>Where this source reads from: the mirror or location whose manifest answered (registries.conf), else the reference itself.</summary>
    private async Task<ImageReference> EndpointAsync(CancellationToken cancellationToken)
    {
        if (_endpoint is null) await ListAsync(cancellationToken).ConfigureAwait(false);
        return _endpoint!;
    }

    public async Task<byte[]> ReadDocumentAsync(Descriptor descriptor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        if (_documents.TryGetValue(descriptor.Digest, out var known))
        {
            if (known.Length != descriptor.Size)
                throw new DigestMismatchException($"{Name}: {descriptor.Digest} is {known.Length} bytes, its descriptor says {descriptor.Size}");
            return known;
        }
        var endpoint = await EndpointAsync(cancellationToken).ConfigureAwait(false);
        byte[] bytes;
        if (MediaTypes.IsManifest(descriptor.MediaType) || MediaTypes.IsIndex(descriptor.MediaType))
            bytes = (await _client.GetManifestAsync(endpoint, descriptor.Digest.ToString(), descriptor, $"{Name}: manifest {descriptor.Digest}", cancellationToken).ConfigureAwait(false)).Bytes;
        else
            bytes = await _client.ReadBlobAsync(endpoint, descriptor, $"{Name}: blob {descriptor.Digest}", cancellationToken).ConfigureAwait(false);
        _documents[descriptor.Digest] = bytes;
        return bytes;
    }

    public async Task<Stream> OpenBlobAsync(Descriptor descriptor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        var endpoint = await EndpointAsync(cancellationToken).ConfigureAwait(false);
        return await _client.OpenBlobAsync(endpoint, descriptor, _ranges, BlobName(descriptor), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A blob's bytes checked for size but not hashed (<see cref="RegistryClient.OpenUnhashedBlobAsync"/>),
    /// for a pull into the store, whose ingest hashes them and refuses a wrong digest (<see cref="LayerDownload"/>).
    /// </summary>
    internal async Task<Stream> OpenUnhashedBlobAsync(Descriptor descriptor, CancellationToken cancellationToken)
    {
        var endpoint = await EndpointAsync(cancellationToken).ConfigureAwait(false);
        return await _client.OpenUnhashedBlobAsync(endpoint, descriptor, _ranges, BlobName(descriptor), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>How errors name a blob of this source: <c>REFERENCE: blob DIGEST</c>.</summary>
    internal string BlobName(Descriptor descriptor) => $"{Name}: blob {descriptor.Digest}";

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
