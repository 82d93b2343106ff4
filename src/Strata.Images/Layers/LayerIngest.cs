using System.Security.Cryptography;
using Strata.Archive;
using Strata.Content;
using Strata.Core;
using Strata.Images.Metadata;

namespace Strata.Images.Layers;

/// <summary>Brings layer blobs into the store and records them (diff ID, digest, sizes).</summary>
public static class LayerIngest
{
    /// <summary>Writes the tree under <paramref name="root"/> as one layer (every entry an addition).</summary>
    public static async Task<LayerRecord> FromTreeAsync(ImageStore store, string root, LayerWriteOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        LayerWriteResult result;
        await using (var writer = await store.Content.OpenWriterAsync(cancellationToken).ConfigureAwait(false))
        {
            result = await LayerWriter.WriteTreeAsync(root, writer, options, cancellationToken).ConfigureAwait(false);
            await LeaseAsync(store, result.Digest, cancellationToken).ConfigureAwait(false);
            await writer.CommitAsync(result.Size, result.Digest, cancellationToken).ConfigureAwait(false);
        }
        var layer = new LayerRecord(result.Digest, result.DiffId, result.MediaType, result.Size, ContentSize.OfTree(root));
        await RecordAsync(store, layer, cancellationToken).ConfigureAwait(false);
        return layer;
    }

    /// <summary>
    /// Stores the layer <paramref name="write"/> produces (it writes the blob and reports its
    /// digests) and records it. <paramref name="contentSize"/> overrides docker's SIZE of the layer,
    /// which otherwise is the one the writer counted.
    /// </summary>
    public static async Task<LayerRecord> WriteAsync(ImageStore store, Func<Stream, CancellationToken, Task<LayerWriteResult>> write, long? contentSize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(write);
        LayerWriteResult result;
        await using (var writer = await store.Content.OpenWriterAsync(cancellationToken).ConfigureAwait(false))
        {
            result = await write(writer, cancellationToken).ConfigureAwait(false);
            await LeaseAsync(store, result.Digest, cancellationToken).ConfigureAwait(false);
            await writer.CommitAsync(result.Size, result.Digest, cancellationToken).ConfigureAwait(false);
        }
        // LayerWriter counts the content size as it writes: no second walk or read-back.
        var size = contentSize ?? result.ContentSize;
        var layer = new LayerRecord(result.Digest, result.DiffId, result.MediaType, result.Size, size);
        await RecordAsync(store, layer, cancellationToken).ConfigureAwait(false);
        return layer;
    }

    /// <summary>Docker's SIZE of a directory tree (an overlay upper dir: whiteouts count nothing).</summary>
    public static long ContentSizeOf(string root) => ContentSize.OfTree(root);

    /// <summary>
    /// Copies a layer blob from <paramref name="source"/> (kept byte for byte: compressed or
    /// not) and, in the same pass, decompresses it on another thread to check its diff ID against
    /// <paramref name="expectedDiffId"/> and to measure its content size, so the blob is never
    /// read back. <paramref name="expectedDigest"/>, when known, is checked too, and first: a
    /// blob with the wrong bytes fails as a digest mismatch, not as whatever its decompression
    /// made of them. Nothing is recorded unless both match.
    /// </summary>
    public static async Task<LayerRecord> FromBlobAsync(ImageStore store, Stream source, string mediaType, DiffId expectedDiffId, Digest? expectedDigest, string what, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(source);
        ContentInfo info;
        // Held before it is looked at: a prune meanwhile either removed it already (then it is
        // written again) or keeps it for this operation.
        if (expectedDigest is { } leased) await LeaseAsync(store, leased, cancellationToken).ConfigureAwait(false);
        var existing = expectedDigest is { } d ? await store.Content.InfoAsync(d, cancellationToken).ConfigureAwait(false) : null;
        if (existing is not null && await store.Metadata.FindLayerAsync(existing.Digest, cancellationToken).ConfigureAwait(false) is { } known && known.DiffId == expectedDiffId)
            return known;
        Task<LayerMeasurement> measuring;
        await using (var writer = await store.Content.OpenWriterAsync(cancellationToken).ConfigureAwait(false))
        {
            var tee = new MeasuringTee(what, cancellationToken);
            measuring = tee.Measurement;
            try
            {
                // Hashed on the way in (by the ingest, or here when it does not): the lease must
                // hold the blob before it becomes visible, even when the source does not say its
                // digest (a legacy archive's layer.tar).
                using var hash = writer is ISha256Sink ? null : IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                while (true)
                {
                    var buffer = await tee.RentAsync(cancellationToken).ConfigureAwait(false);
                    int n = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
                    if (n == 0)
                    {
                        await tee.HandOverAsync(buffer, 0, cancellationToken).ConfigureAwait(false);
                        break;
                    }
                    hash?.AppendData(buffer, 0, n);
                    await writer.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
                    await tee.HandOverAsync(buffer, n, cancellationToken).ConfigureAwait(false);
                }
                await tee.CompleteAsync(null).ConfigureAwait(false);
                if (expectedDigest is null)
                {
                    var digest = writer is ISha256Sink sink ? sink.CurrentDigest() : Digest.Parse("sha256:" + Convert.ToHexStringLower(hash!.GetHashAndReset()));
                    await LeaseAsync(store, digest, cancellationToken).ConfigureAwait(false);
                }
                try
                {
                    info = await writer.CommitAsync(null, expectedDigest, cancellationToken).ConfigureAwait(false);
                }
                catch (DigestMismatchException ex) when (ex.Expected is { } expected && ex.Actual is { } actual)
                {
                    // The content store names its ingest ref, which means nothing to the user; name the layer and its source.
                    throw new DigestMismatchException(expected, actual, what);
                }
            }
            catch (Exception ex)
            {
                // The measuring thread is stopped and waited for: nothing of this ingest outlives it.
                await tee.AbandonAsync(ex).ConfigureAwait(false);
                throw;
            }
        }
        var measured = await measuring.ConfigureAwait(false);
        if (measured.DiffId != expectedDiffId)
            throw new DigestMismatchException(expectedDiffId.Digest, measured.DiffId.Digest, $"{what}: uncompressed layer does not match the config's diff ID");
        var layer = new LayerRecord(info.Digest, measured.DiffId, mediaType, info.Size, measured.ContentSize);
        await RecordAsync(store, layer, cancellationToken).ConfigureAwait(false);
        return layer;
    }

    /// <summary>Reads a stored layer blob: the sha256 of its uncompressed tar and its content size.</summary>
    public static async Task<(DiffId DiffId, long ContentSize)> MeasureAsync(ImageStore store, Digest digest, string what, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        await using var blob = await store.Content.OpenReadAsync(digest, cancellationToken).ConfigureAwait(false);
        var measured = await LayerReader.MeasureAsync(blob, new LayerReadOptions { LayerName = what }, cancellationToken).ConfigureAwait(false);
        return (measured.DiffId, measured.ContentSize);
    }

    /// <summary>Holds a blob in the current lease before it is committed, noting whether this operation brings it.</summary>
    internal static async Task LeaseAsync(ImageStore store, Digest digest, CancellationToken cancellationToken)
    {
        if (store.Leases.Current is null) return;
        bool brought = await store.Content.InfoAsync(digest, cancellationToken).ConfigureAwait(false) is null;
        await store.Leases.AddBlobAsync(digest, brought, cancellationToken).ConfigureAwait(false);
    }

    private static Task RecordAsync(ImageStore store, LayerRecord layer, CancellationToken cancellationToken) =>
        store.Metadata.WriteAsync(async (c, ct) => { await MetadataStore.PutLayerAsync(c, layer, ct).ConfigureAwait(false); return 0; }, cancellationToken);
}
