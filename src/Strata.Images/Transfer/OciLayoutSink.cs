using Strata.Content;
using Strata.Core;
using Strata.Oci;

namespace Strata.Images.Transfer;

/// <summary>
/// An OCI image layout directory as a sink (<c>--cache-to type=local</c>): blobs go through a
/// content store rooted at the directory (ingest, verify, rename: no partial blob is ever
/// visible), and <see cref="CommitAsync"/> writes index.json last and atomically, replacing the
/// previous one. An interrupted write leaves the previous index in place, never one naming a
/// missing blob; the blobs it had written stay as unreferenced garbage of the layout.
/// </summary>
public sealed class OciLayoutSink : IImageSink
{
    private readonly string _root;
    private readonly List<Descriptor> _index = [];

    /// <param name="root">The layout directory (made when missing).</param>
    /// <param name="name">What errors name first (the flag).</param>
    public OciLayoutSink(string root, string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        if (File.Exists(root)) throw new InvalidArgumentException($"{name}: {root} is a file, not a directory");
        _root = root;
        Name = name;
        Blobs = FileContentStore.Open(root);
    }

    public string Name { get; }

    /// <summary>The layout's blobs, for content that is not an image (an artifact's blobs, layers made on the fly).</summary>
    public IContentStore Blobs { get; }

    public async Task WriteLayerAsync(Descriptor layer, DiffId diffId, Func<CancellationToken, Task<Stream>> open, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(layer);
        ArgumentNullException.ThrowIfNull(open);
        if (await Blobs.InfoAsync(layer.Digest, cancellationToken).ConfigureAwait(false) is not null) return;
        var data = await open(cancellationToken).ConfigureAwait(false);
        await using (data.ConfigureAwait(false))
        {
            try
            {
                await Blobs.CopyFromAsync(data, layer, cancellationToken).ConfigureAwait(false);
            }
            catch (DigestMismatchException ex) when (ex.Expected is { } expected && ex.Actual is { } actual)
            {
                // The content store names its ingest; name the blob and where it was going.
                throw new DigestMismatchException(expected, actual, $"{Name}: blob {layer.Digest}");
            }
        }
    }

    public async Task WriteImageAsync(ImageDocuments image, IReadOnlyList<ImageReference> names, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(names);
        await Blobs.WriteBlobAsync(image.Manifest.Config.MediaType, image.ConfigBytes, cancellationToken).ConfigureAwait(false);
        await Blobs.WriteBlobAsync(image.ManifestDescriptor.MediaType, image.ManifestBytes, cancellationToken).ConfigureAwait(false);
        var descriptor = new Descriptor(image.ManifestDescriptor.MediaType, image.ManifestDescriptor.Digest, image.ManifestDescriptor.Size);
        if (names.Count == 0) _index.Add(descriptor);
        foreach (var name in names)
        {
            _index.Add(descriptor with
            {
                Annotations = new SortedDictionary<string, string>(StringComparer.Ordinal)
                {
                    [StoreAnnotations.ImageName] = name.ToString(),
                    [StoreAnnotations.RefName] = name.Tag ?? name.Digest?.ToString() ?? ImageReference.DefaultTag,
                },
            });
        }
    }

    /// <summary>
    /// Writes the index blob and lists it under <paramref name="names"/>; the children written
    /// before it as unnamed images stop being roots of their own (one listing each).
    /// </summary>
    public async Task WriteIndexAsync(Descriptor index, byte[] indexBytes, IReadOnlyList<ImageReference> names, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(names);
        var document = IndexDocument.Parse(index, indexBytes, Name);
        await Blobs.WriteBlobAsync(document.Descriptor.MediaType, indexBytes, cancellationToken).ConfigureAwait(false);
        foreach (var child in document.Children.Select(c => c.Digest).Distinct())
        {
            int at = _index.FindIndex(d => d.Digest == child && d.Annotations is null);
            if (at >= 0) _index.RemoveAt(at);
        }
        if (names.Count == 0) _index.Add(document.Descriptor);
        foreach (var name in names) _index.Add(document.Descriptor with { Annotations = NameAnnotations(name) });
    }

    private static SortedDictionary<string, string> NameAnnotations(ImageReference name) => new(StringComparer.Ordinal)
    {
        [StoreAnnotations.ImageName] = name.ToString(),
        [StoreAnnotations.RefName] = name.Tag ?? name.Digest?.ToString() ?? ImageReference.DefaultTag,
    };

    /// <summary>Lists a root whose blobs were written through <see cref="Blobs"/> (an artifact manifest) in index.json.</summary>
    public void AddRoot(Descriptor root)
    {
        ArgumentNullException.ThrowIfNull(root);
        _index.Add(root);
    }

    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        var index = new ImageIndex([.. _index]) { MediaType = MediaTypes.OciIndex };
        await AtomicFile.WriteAsync(Path.Combine(_root, "index.json"), OciJson.Serialize(index), cancellationToken).ConfigureAwait(false);
        // The content store's ingest folder is its own scratch, not part of an OCI layout.
        var ingest = Path.Combine(_root, "ingest");
        if (Directory.Exists(ingest) && !Directory.EnumerateFileSystemEntries(ingest).Any()) Directory.Delete(ingest);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
