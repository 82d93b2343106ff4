using Strata.Core;

namespace Strata.Images.Transfer;

/// <summary>Blobs that sources read from the store's own content.</summary>
internal static class StoreBlobs
{
    /// <summary>
    /// The blob <paramref name="descriptor"/> names, as the content store hands it out: its
    /// stream checks the digest at its end (the store holds only what hashes to its name, so the
    /// stored size is exact and is compared with the descriptor's before any byte is read).
    /// </summary>
    public static async Task<Stream> OpenAsync(ImageStore store, Descriptor descriptor, string sourceName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        if (await store.Content.InfoAsync(descriptor.Digest, cancellationToken).ConfigureAwait(false) is { } info && info.Size != descriptor.Size)
            throw new DigestMismatchException($"{sourceName}: blob {descriptor.Digest} is {info.Size} bytes, its descriptor says {descriptor.Size}");
        return await store.Content.OpenReadAsync(descriptor.Digest, cancellationToken).ConfigureAwait(false);
    }
}
