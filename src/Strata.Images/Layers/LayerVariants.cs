using Strata.Archive;
using Strata.Core;
using Strata.Images.Metadata;
using Strata.Images.Transfer;

namespace Strata.Images.Layers;

/// <summary>
/// The compressed variants of the store's uncompressed layers: made on the first export that
/// asks for one (gzip or zstd at a level), written to the store as a blob of its own and
/// recorded in <see cref="LayerVariantTable"/>, then read as is by every later export. At most
/// <see cref="ExportCompression.MaxParallelLayers"/> layers are compressed at once.
/// </summary>
public sealed class LayerVariants : IDisposable
{
    private readonly ImageStore _store;
    private readonly ExportCompression _options;
    private readonly SemaphoreSlim _slots;
    private int _compressed;

    public LayerVariants(ImageStore store, ExportCompression options)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        _store = store;
        _options = options;
        _slots = new SemaphoreSlim(Math.Max(1, options.MaxParallelLayers));
    }

    /// <summary>How many layers this instance compressed (not found as remembered variants).</summary>
    public int Compressed => Volatile.Read(ref _compressed);

    /// <summary>
    /// The descriptor <paramref name="layer"/> leaves as: itself when it is already compressed or
    /// no compression is asked for, else its variant (made now unless the store remembers it).
    /// <paramref name="open"/> reads the uncompressed layer; it is not called for a remembered variant.
    /// </summary>
    public async Task<Descriptor> VariantAsync(Descriptor layer, DiffId diffId, Func<CancellationToken, Task<Stream>> open, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(layer);
        ArgumentNullException.ThrowIfNull(open);
        if (layer.MediaType != MediaTypes.OciLayer || _options.Compression == LayerCompression.None) return layer;
        var mediaType = LayerCompressor.MediaType(_options.Compression);
        int level = _options.EffectiveLevel;
        if (await RememberedAsync(layer.Digest, mediaType, level, cancellationToken).ConfigureAwait(false) is { } known)
            return layer with { MediaType = mediaType, Digest = known.Variant, Size = known.Size };
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Another export may have made it while this one waited.
            if (await RememberedAsync(layer.Digest, mediaType, level, cancellationToken).ConfigureAwait(false) is { } made)
                return layer with { MediaType = mediaType, Digest = made.Variant, Size = made.Size };
            LayerWriteResult result;
            await using (var input = await open(cancellationToken).ConfigureAwait(false))
            await using (var writer = await _store.Content.OpenWriterAsync(cancellationToken).ConfigureAwait(false))
            {
                result = await LayerCompressor.CompressAsync(input, writer, _options.Compression, level, cancellationToken).ConfigureAwait(false);
                if (result.DiffId != diffId)
                    throw new DigestMismatchException(diffId.Digest, result.DiffId.Digest, $"layer {layer.Digest}: uncompressed content does not match the config's diff ID");
                await LayerIngest.LeaseAsync(_store, result.Digest, cancellationToken).ConfigureAwait(false);
                await writer.CommitAsync(result.Size, result.Digest, cancellationToken).ConfigureAwait(false);
            }
            var record = new LayerVariantRecord(layer.Digest, mediaType, level, result.Digest, result.Size);
            await _store.Metadata.WriteAsync(async (c, ct) => { await LayerVariantTable.PutAsync(c, record, ct).ConfigureAwait(false); return 0; }, cancellationToken).ConfigureAwait(false);
            Interlocked.Increment(ref _compressed);
            return layer with { MediaType = mediaType, Digest = result.Digest, Size = result.Size };
        }
        finally
        {
            _slots.Release();
        }
    }

    /// <summary>A recorded variant whose blob is still in the store.</summary>
    private async Task<LayerVariantRecord?> RememberedAsync(Digest digest, string mediaType, int level, CancellationToken cancellationToken)
    {
        var known = await LayerVariantTable.FindAsync(_store.Metadata, digest, mediaType, level, cancellationToken).ConfigureAwait(false);
        if (known is null) return null;
        var info = await _store.Content.InfoAsync(known.Variant, cancellationToken).ConfigureAwait(false);
        return info is not null && info.Size == known.Size ? known : null;
    }

    public void Dispose() => _slots.Dispose();
}
