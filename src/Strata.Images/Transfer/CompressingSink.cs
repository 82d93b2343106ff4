using Strata.Core;
using Strata.Images.Layers;
using Strata.Oci;

namespace Strata.Images.Transfer;

/// <summary>
/// A sink in front of another that hands it each uncompressed layer as its compressed variant
/// (<see cref="LayerVariants"/>) and the manifest rewritten to name those variants; the config,
/// and so the image ID, is unchanged. Any sink gets export compression by being wrapped: an
/// archive, an OCI layout, a registry push. Layers of one image are compressed in parallel
/// (bounded): <see cref="WriteLayerAsync"/> starts the work, <see cref="WriteImageAsync"/> waits
/// for it and passes the layers on in their order, then the image.
/// </summary>
public sealed class CompressingSink : IImageSink
{
    private readonly IImageSink _inner;
    private readonly ImageStore _store;
    private readonly Dictionary<Digest, Descriptor> _rewrittenManifests = [];
    private readonly LayerVariants _variants;
    private readonly List<Pending> _pending = [];
    private readonly Lock _gate = new();
    private readonly int _innerConcurrency;

    /// <param name="innerConcurrency">
    /// How many layers the inner sink takes at once (a registry uploads several; an archive
    /// writes one stream, so 1).
    /// </param>
    public CompressingSink(IImageSink inner, ImageStore store, ExportCompression compression, int innerConcurrency = 1)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentOutOfRangeException.ThrowIfLessThan(innerConcurrency, 1);
        _inner = inner;
        _store = store;
        _variants = new LayerVariants(store, compression);
        _innerConcurrency = innerConcurrency;
    }

    public string Name => _inner.Name;

    /// <summary>How many layers this sink compressed (remembered variants not counted).</summary>
    public int Compressed => _variants.Compressed;

    public Task WriteLayerAsync(Descriptor layer, DiffId diffId, Func<CancellationToken, Task<Stream>> open, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(layer);
        ArgumentNullException.ThrowIfNull(open);
        var pending = new Pending(layer, diffId, open, _variants.VariantAsync(layer, diffId, open, cancellationToken));
        lock (_gate) _pending.Add(pending);
        return Task.CompletedTask;
    }

    public async Task WriteImageAsync(ImageDocuments image, IReadOnlyList<ImageReference> names, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        List<Pending> pending;
        lock (_gate)
        {
            pending = [.. _pending];
            _pending.Clear();
        }
        var replaced = new Dictionary<Digest, Descriptor>();
        try
        {
            // Every variant is made (in parallel) before any is written, so the inner sink can take
            // them in its own order and concurrency.
            var writes = new List<(Descriptor Layer, DiffId DiffId, Func<CancellationToken, Task<Stream>> Open)>();
            foreach (var p in pending)
            {
                var variant = await p.Variant.ConfigureAwait(false);
                if (variant.Digest == p.Layer.Digest)
                {
                    writes.Add((p.Layer, p.DiffId, p.Open));
                    continue;
                }
                replaced[p.Layer.Digest] = variant;
                writes.Add((variant, p.DiffId, ct => StoreBlobs.OpenAsync(_store, variant, Name, ct)));
            }
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = _innerConcurrency, CancellationToken = cancellationToken };
            await Parallel.ForEachAsync(writes, parallel, (w, ct) => new ValueTask(_inner.WriteLayerAsync(w.Layer, w.DiffId, w.Open, ct))).ConfigureAwait(false);
        }
        catch
        {
            await ObserveAsync(pending).ConfigureAwait(false);
            throw;
        }
        var written = replaced.Count == 0 ? image : Rewrite(image, replaced);
        if (replaced.Count != 0) _rewrittenManifests[image.ManifestDescriptor.Digest] = written.ManifestDescriptor;
        await _inner.WriteImageAsync(written, names, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// An index whose children were rewritten (their layers compressed) names the rewritten
    /// manifests, so it is a new document with a new digest; otherwise it passes as it is.
    /// </summary>
    public Task WriteIndexAsync(Descriptor index, byte[] indexBytes, IReadOnlyList<ImageReference> names, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(index);
        var parsed = ImageDocuments.ParseIndex(index, indexBytes, Name);
        if (!parsed.Manifests.Any(m => _rewrittenManifests.ContainsKey(m.Digest)))
            return _inner.WriteIndexAsync(index, indexBytes, names, cancellationToken);
        var rewritten = parsed with
        {
            Manifests = [.. parsed.Manifests.Select(m => _rewrittenManifests.TryGetValue(m.Digest, out var d) ? m with { Digest = d.Digest, Size = d.Size } : m)],
        };
        var bytes = OciJson.Serialize(rewritten);
        return _inner.WriteIndexAsync(index with { Digest = Digest.Compute(bytes), Size = bytes.Length }, bytes, names, cancellationToken);
    }

    public Task CommitAsync(CancellationToken cancellationToken) => _inner.CommitAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await ObserveAsync(_pending).ConfigureAwait(false);
        _pending.Clear();
        _variants.Dispose();
        await _inner.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>The same image whose manifest names the variants instead of the uncompressed layers.</summary>
    private ImageDocuments Rewrite(ImageDocuments image, Dictionary<Digest, Descriptor> replaced)
    {
        var manifest = image.Manifest with { Layers = [.. image.Manifest.Layers.Select(l => replaced.GetValueOrDefault(l.Digest, l))] };
        var bytes = OciJson.Serialize(manifest);
        var descriptor = image.ManifestDescriptor with { Digest = Digest.Compute(bytes), Size = bytes.Length };
        return ImageDocuments.Parse(descriptor, bytes, image.ConfigBytes, Name);
    }

    // Work started for an image that is not written (an earlier failure) must not fault unobserved.
    private static async Task ObserveAsync(IEnumerable<Pending> pending)
    {
        foreach (var p in pending)
        {
            try
            {
                await p.Variant.ConfigureAwait(false);
            }
#pragma warning disable CA1031 // the first failure is already on its way to the caller
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }
    }

    private sealed record Pending(Descriptor Layer, DiffId DiffId, Func<CancellationToken, Task<Stream>> Open, Task<Descriptor> Variant);
}
