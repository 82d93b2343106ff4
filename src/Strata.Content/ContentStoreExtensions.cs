using Strata.Core;

namespace Strata.Content;

/// <summary>Whole-blob helpers on top of <see cref="IContentStore"/>; every read is verified.</summary>
public static class ContentStoreExtensions
{
    /// <summary>
    /// Reads a whole blob (manifests, configs, indexes), verified. Refuses blobs larger than
    /// <paramref name="maxBytes"/> so a hostile descriptor cannot make us allocate gigabytes.
    /// </summary>
    /// <exception cref="NotFoundException">The blob is absent.</exception>
    /// <exception cref="InvalidArgumentException">The blob is larger than <paramref name="maxBytes"/>.</exception>
    /// <exception cref="DigestMismatchException">The blob is corrupt.</exception>
    public static async ValueTask<byte[]> ReadAllBytesAsync(this IContentStore store, Digest digest, long maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        // Size from the store's record, so the limit holds before anything is allocated or read.
        var info = await store.InfoAsync(digest, cancellationToken).ConfigureAwait(false)
            ?? throw new NotFoundException($"blob {digest} not found in {store.Root}.");
        if (info.Size > maxBytes || info.Size > Array.MaxLength)
            throw new InvalidArgumentException($"blob {digest} is {info.Size} bytes, more than the {maxBytes} allowed.");
        var stream = await store.OpenReadAsync(digest, cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var buffer = new byte[info.Size];
            try
            {
                await stream.ReadExactlyAsync(buffer, cancellationToken).ConfigureAwait(false);
            }
            catch (EndOfStreamException e)
            {
                throw new DigestMismatchException($"blob {digest} is shorter than the {info.Size} bytes recorded for it.", e);
            }
            // The stream verifies only when it sees its end; ask for one more byte to get there.
            if (await stream.ReadAsync(new byte[1], cancellationToken).ConfigureAwait(false) != 0)
                throw new DigestMismatchException($"blob {digest} is longer than the {info.Size} bytes recorded for it.");
            return buffer;
        }
    }

    /// <summary>Stores <paramref name="data"/> (if not already present) and describes it.</summary>
    public static async ValueTask<Descriptor> WriteBlobAsync(this IContentStore store, string mediaType, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var digest = Digest.Compute(data.Span);
        var descriptor = new Descriptor(mediaType, digest, data.Length);
        if (await store.InfoAsync(digest, cancellationToken).ConfigureAwait(false) is not null) return descriptor;
        var writer = await store.OpenWriterAsync(cancellationToken).ConfigureAwait(false);
        await using (writer.ConfigureAwait(false))
        {
            await writer.WriteAsync(data, cancellationToken).ConfigureAwait(false);
            await writer.CommitAsync(data.Length, digest, cancellationToken).ConfigureAwait(false);
        }
        return descriptor;
    }

    /// <summary>
    /// Copies <paramref name="source"/> into the store, committing only if it has exactly the
    /// size and digest of <paramref name="expected"/>. Content already present is not re-read.
    /// </summary>
    /// <exception cref="DigestMismatchException">The source does not match; nothing is stored.</exception>
    public static async ValueTask<ContentInfo> CopyFromAsync(this IContentStore store, Stream source, Descriptor expected, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(expected);
        if (await store.InfoAsync(expected.Digest, cancellationToken).ConfigureAwait(false) is { } existing) return existing;
        var writer = await store.OpenWriterAsync(cancellationToken).ConfigureAwait(false);
        await using (writer.ConfigureAwait(false))
        {
            await source.CopyToAsync(writer, cancellationToken).ConfigureAwait(false);
            return await writer.CommitAsync(expected.Size, expected.Digest, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Re-hashes a stored blob (for <c>system check</c>). True when its bytes match its digest,
    /// false when it is corrupt.
    /// </summary>
    /// <exception cref="NotFoundException">The blob is absent.</exception>
    public static async ValueTask<bool> VerifyAsync(this IContentStore store, Digest digest, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var stream = await store.OpenReadAsync(digest, cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            try
            {
                await stream.CopyToAsync(Stream.Null, cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (DigestMismatchException)
            {
                return false;
            }
        }
    }
}
