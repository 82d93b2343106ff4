using Strata.Core;
using Strata.Images.Transfer;
using Strata.Registry.Transport;

namespace Strata.Registry.Pull;

/// <summary>
/// One layer of a pull from the registry into the store, hashed once. The store's ingest hashes
/// every byte it writes and refuses a wrong digest at its commit (before the blob is visible, the
/// ingest removed), so the blob comes from the registry unhashed (size-checked only) instead of
/// through a second, verifying hash of the same bytes. A wrong blob still fails as a digest
/// mismatch naming both digests, named as the registry's blob as every other pull error is.
/// </summary>
internal static class LayerDownload
{
    /// <param name="received">Told the bytes received so far after each read (progress), or null.</param>
    public static async Task WriteAsync(StoreSink sink, RegistrySource source, Descriptor layer, DiffId diffId, Action<long>? received, CancellationToken cancellationToken)
    {
        try
        {
            await sink.WriteLayerAsync(layer, diffId, async c =>
            {
                var blob = await source.OpenUnhashedBlobAsync(layer, c).ConfigureAwait(false);
                return received is null ? blob : new CountingReadStream(blob, received);
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (DigestMismatchException e) when (e.Expected == layer.Digest && e.Actual is { } actual)
        {
            // The ingest names the layer as the sink sees it; the bytes are the registry's blob.
            throw new DigestMismatchException(layer.Digest, actual, source.BlobName(layer));
        }
    }
}
