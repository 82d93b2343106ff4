using Strata.Core;
using Strata.Images.Archives;
using Strata.Oci;

namespace Strata.Images.Transfer;

/// <summary>
/// The archive Docker 25+ writes, as a sink (save, <c>--output type=oci|docker</c>): at once an
/// OCI image layout archive (oci-layout, index.json, blobs/sha256/...) that OCI tools read and a
/// docker-archive (manifest.json, repositories) that <c>docker load</c> of any version reads.
/// Blobs are streamed into the tar as they come, each read to its end so the source's
/// verification runs; a blob that does not match fails the write naming it. The index and
/// manifest.json are written by <see cref="CommitAsync"/>, so an archive without them was never
/// finished: callers write to a scratch file and rename it (see <see cref="AtomicOutput"/>).
/// </summary>
public sealed class DockerArchiveSink : IImageSink
{
    private readonly TarStreamWriter _tar;
    private readonly HashSet<Digest> _written = [];
    private readonly List<Descriptor> _index = [];
    private readonly List<DockerArchiveManifestEntry> _entries = [];
    // manifest.json entries of images written so far, by manifest digest (an index names one of its children there).
    private readonly Dictionary<Digest, (DockerArchiveManifestEntry Entry, ImageDocuments Image)> _images = [];
    private readonly SortedDictionary<string, SortedDictionary<string, string>> _repositories = new(StringComparer.Ordinal);
    private bool _started;

    /// <param name="output">Where the tar goes (a file or a pipe; never sought).</param>
    /// <param name="modified">Every member's mtime (save uses the newest image's creation time, so equal images give equal archives).</param>
    public DockerArchiveSink(Stream output, DateTimeOffset modified, string name)
    {
        ArgumentNullException.ThrowIfNull(output);
        _tar = new TarStreamWriter(output, modified);
        Name = name;
    }

    public string Name { get; }

    public async Task WriteLayerAsync(Descriptor layer, DiffId diffId, Func<CancellationToken, Task<Stream>> open, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(layer);
        ArgumentNullException.ThrowIfNull(open);
        await StartAsync(cancellationToken).ConfigureAwait(false);
        if (!_written.Add(layer.Digest)) return;
        var data = await open(cancellationToken).ConfigureAwait(false);
        await using (data.ConfigureAwait(false))
        {
            await _tar.WriteFileAsync(ImageSaver.BlobPath(layer.Digest), data, layer.Size, cancellationToken).ConfigureAwait(false);
            // The tar holds exactly Size bytes; one more read reaches the end, where the source checks the digest.
            if (await data.ReadAsync(new byte[1], cancellationToken).ConfigureAwait(false) != 0)
                throw new DigestMismatchException($"{Name}: blob {layer.Digest} is longer than the {layer.Size} bytes its descriptor says");
        }
    }

    public async Task WriteImageAsync(ImageDocuments image, IReadOnlyList<ImageReference> names, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(names);
        await StartAsync(cancellationToken).ConfigureAwait(false);
        if (_written.Add(image.Manifest.Config.Digest))
            await _tar.WriteFileAsync(ImageSaver.BlobPath(image.Manifest.Config.Digest), image.ConfigBytes, cancellationToken).ConfigureAwait(false);
        if (_written.Add(image.ManifestDescriptor.Digest))
            await _tar.WriteFileAsync(ImageSaver.BlobPath(image.ManifestDescriptor.Digest), image.ManifestBytes, cancellationToken).ConfigureAwait(false);

        var manifestDescriptor = new Descriptor(image.ManifestDescriptor.MediaType, image.ManifestDescriptor.Digest, image.ManifestDescriptor.Size);
        if (names.Count == 0) _index.Add(manifestDescriptor);
        foreach (var name in names)
        {
            _index.Add(manifestDescriptor with
            {
                Annotations = new SortedDictionary<string, string>(StringComparer.Ordinal)
                {
                    [StoreAnnotations.ImageName] = name.ToString(),
                    [StoreAnnotations.RefName] = name.Tag ?? name.Digest?.ToString() ?? ImageReference.DefaultTag,
                },
            });
        }
        var entry = new DockerArchiveManifestEntry(ImageSaver.BlobPath(image.Manifest.Config.Digest), [.. image.Manifest.Layers.Select(l => ImageSaver.BlobPath(l.Digest))])
        {
            RepoTags = [.. names.Where(n => n.Tag is not null).Select(n => n.Familiar)],
        };
        _entries.Add(entry);
        _images.TryAdd(image.ManifestDescriptor.Digest, (entry, image));
        AddRepositories(image, names);
    }

    /// <summary>
    /// The index blob, listed in index.json under <paramref name="names"/> as docker 25+ (the
    /// containerd exporter) writes a multi-platform image; its children stop being roots of
    /// their own. manifest.json, which docker's classic store reads, cannot hold an index: as
    /// containerd does, it gets one entry, the host platform's child (else the first present),
    /// carrying the names, so any docker loads the image it would run.
    /// </summary>
    public async Task WriteIndexAsync(Descriptor index, byte[] indexBytes, IReadOnlyList<ImageReference> names, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(names);
        var document = IndexDocument.Parse(index, indexBytes, Name);
        await StartAsync(cancellationToken).ConfigureAwait(false);
        if (_written.Add(document.Descriptor.Digest))
            await _tar.WriteFileAsync(ImageSaver.BlobPath(document.Descriptor.Digest), indexBytes, cancellationToken).ConfigureAwait(false);
        var present = document.Children.Where(c => _images.ContainsKey(c.Digest)).ToList();
        foreach (var child in present.Select(c => c.Digest).Distinct())
        {
            int at = _index.FindIndex(d => d.Digest == child && d.Annotations is null);
            if (at >= 0) _index.RemoveAt(at);
            var unnamed = _images[child].Entry;
            if (unnamed.RepoTags is { Count: 0 }) _entries.Remove(unnamed);
        }
        if (names.Count == 0) _index.Add(document.Descriptor);
        foreach (var name in names) _index.Add(document.Descriptor with { Annotations = NameAnnotations(name) });

        var chosen = present.FirstOrDefault(c => PlatformMatch.Matches(c.Platform, Platform.Host)) ?? present.FirstOrDefault();
        if (chosen is null) return;
        var image = _images[chosen.Digest].Image;
        _entries.Add(new DockerArchiveManifestEntry(ImageSaver.BlobPath(image.Manifest.Config.Digest), [.. image.Manifest.Layers.Select(l => ImageSaver.BlobPath(l.Digest))])
        {
            RepoTags = [.. names.Where(n => n.Tag is not null).Select(n => n.Familiar)],
        });
        AddRepositories(image, names);
    }

    private void AddRepositories(ImageDocuments image, IReadOnlyList<ImageReference> names)
    {
        foreach (var name in names.Where(n => n.Tag is not null))
        {
            // The legacy repositories file names each tag's top layer ID.
            var top = image.Manifest.Layers.Count > 0 ? image.Manifest.Layers[^1].Digest.Encoded : image.Id.Encoded;
            if (!_repositories.TryGetValue(name.FamiliarRepository, out var tags)) _repositories[name.FamiliarRepository] = tags = new(StringComparer.Ordinal);
            tags[name.Tag!] = top;
        }
    }

    private static SortedDictionary<string, string> NameAnnotations(ImageReference name) => new(StringComparer.Ordinal)
    {
        [StoreAnnotations.ImageName] = name.ToString(),
        [StoreAnnotations.RefName] = name.Tag ?? name.Digest?.ToString() ?? ImageReference.DefaultTag,
    };

    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        await StartAsync(cancellationToken).ConfigureAwait(false);
        await _tar.WriteFileAsync("index.json", OciJson.Serialize(new ImageIndex(_index) { MediaType = MediaTypes.OciIndex }), cancellationToken).ConfigureAwait(false);
        await _tar.WriteFileAsync("manifest.json", OciJson.Serialize(_entries), cancellationToken).ConfigureAwait(false);
        await _tar.WriteFileAsync("oci-layout", OciJson.Serialize(new OciLayoutHeader(OciLayoutHeader.CurrentVersion)), cancellationToken).ConfigureAwait(false);
        if (_repositories.Count > 0)
        {
            var repos = _repositories.ToDictionary(p => p.Key, p => (IReadOnlyDictionary<string, string>)p.Value, StringComparer.Ordinal);
            await _tar.WriteFileAsync("repositories", OciJson.SerializeRepositories(repos), cancellationToken).ConfigureAwait(false);
        }
        await _tar.FinishAsync(cancellationToken).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_started) return;
        _started = true;
        await _tar.WriteDirectoryAsync("blobs", cancellationToken).ConfigureAwait(false);
        await _tar.WriteDirectoryAsync("blobs/sha256", cancellationToken).ConfigureAwait(false);
    }
}
