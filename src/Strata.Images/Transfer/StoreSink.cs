using Strata.Content;
using Strata.Core;
using Strata.Images.Layers;
using Strata.Images.Metadata;

namespace Strata.Images.Transfer;

/// <summary>
/// The store as a sink (load, oci-layout contexts; pull later), images and indexes: each layer is copied byte for
/// byte and checked against its digest and the config's diff ID before it is recorded, a layer
/// already stored with that diff ID is not read again, and the manifest and config are stored
/// as they came so the image keeps its ID and manifest digest. Each image is recorded in one
/// metadata transaction, so <see cref="CommitAsync"/> has nothing left to publish.
/// </summary>
public sealed class StoreSink : IImageSink
{
    private readonly ImageStore _store;
    // Concurrent: a pull writes several layers at once (WriteLayerAsync may run in parallel).
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Digest, LayerRecord> _layers = new();
    private readonly List<StoredImage> _images = [];
    private readonly List<StoredIndex> _indexes = [];

    public StoreSink(ImageStore store, string name)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        Name = name;
    }

    public string Name { get; }

    /// <summary>The images recorded so far, in order.</summary>
    public IReadOnlyList<StoredImage> Images => _images;

    public async Task WriteLayerAsync(Descriptor layer, DiffId diffId, Func<CancellationToken, Task<Stream>> open, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(layer);
        ArgumentNullException.ThrowIfNull(open);
        if (_layers.TryGetValue(layer.Digest, out var seen) && seen.DiffId == diffId) return;
        if (await _store.Content.InfoAsync(layer.Digest, cancellationToken).ConfigureAwait(false) is not null
            && await _store.Metadata.FindLayerAsync(layer.Digest, cancellationToken).ConfigureAwait(false) is { } known && known.DiffId == diffId)
        {
            _layers[layer.Digest] = known;
            return;
        }
        var data = await open(cancellationToken).ConfigureAwait(false);
        await using (data.ConfigureAwait(false))
        {
            _layers[layer.Digest] = await LayerIngest.FromBlobAsync(_store, data, layer.MediaType, diffId, layer.Digest, $"{Name}: layer {layer.Digest}", cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task WriteImageAsync(ImageDocuments image, IReadOnlyList<ImageReference> names, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(names);
        var layers = new List<LayerRecord>();
        foreach (var layer in image.Manifest.Layers)
        {
            if (!_layers.TryGetValue(layer.Digest, out var record))
                throw new InvalidArgumentException($"{Name}: layer {layer.Digest} of image {image.Id} was not written before its manifest");
            layers.Add(record);
        }
        await _store.WriteBlobAsync(image.Manifest.Config.MediaType, image.ConfigBytes, cancellationToken).ConfigureAwait(false);
        var stored = await _store.WriteBlobAsync(image.ManifestDescriptor.MediaType, image.ManifestBytes, cancellationToken).ConfigureAwait(false);
        _images.Add(await _store.RecordImageAsync(stored, image.Manifest, image.Config, layers, names, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>The indexes recorded so far, in order.</summary>
    public IReadOnlyList<StoredIndex> Indexes => _indexes;

    /// <summary>Stores the index blob as it came and records it with its children (present or not) and names.</summary>
    public async Task WriteIndexAsync(Descriptor index, byte[] indexBytes, IReadOnlyList<ImageReference> names, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(names);
        var document = IndexDocument.Parse(index, indexBytes, Name);
        await _store.WriteBlobAsync(document.Descriptor.MediaType, indexBytes, cancellationToken).ConfigureAwait(false);
        _indexes.Add(await _store.Indexes.RecordAsync(document, names, cancellationToken).ConfigureAwait(false));
    }

    public Task CommitAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
