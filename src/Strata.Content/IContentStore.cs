using Strata.Core;

namespace Strata.Content;

/// <summary>
/// A content-addressed blob store (containerd's content store is the model).
/// <para>
/// Visibility: a blob is visible to readers only once a <see cref="ContentWriter"/> has
/// committed it, and then it is complete and verified; there are no partial blobs, even after a
/// crash. Blobs are immutable: the same digest always means the same bytes, so writing content
/// that is already present is success, not an error.
/// </para>
/// <para>
/// Concurrency: many writers (threads or processes) may write at once, including the same
/// content; each has its own ingest and the last rename wins with identical bytes. Readers are
/// never disturbed by writers. Only sha256 blobs are written; digests of other algorithms are
/// reported as absent.
/// </para>
/// <para>Errors: <see cref="NotFoundException"/> for a missing blob, <see cref="DigestMismatchException"/>
/// for content that does not match its digest or size, <see cref="InvalidArgumentException"/> for
/// requests the store cannot satisfy (e.g. a non-sha256 expected digest).</para>
/// </summary>
public interface IContentStore
{
    /// <summary>The directory holding the store (an OCI image layout).</summary>
    string Root { get; }

    /// <summary>Size and commit time of the blob, or null when it is absent.</summary>
    ValueTask<ContentInfo?> InfoAsync(Digest digest, CancellationToken cancellationToken);

    /// <summary>
    /// Opens the blob for reading. The stream is forward-only and verifies as it is read: when it
    /// reaches the end it throws <see cref="DigestMismatchException"/> naming the digest if the
    /// bytes on disk do not hash to <paramref name="digest"/>, so a consumer that reads to the end
    /// never silently uses corrupt content. A consumer that stops early gets no verification.
    /// </summary>
    /// <exception cref="NotFoundException">The blob is absent.</exception>
    ValueTask<Stream> OpenReadAsync(Digest digest, CancellationToken cancellationToken);

    /// <summary>
    /// Starts a new ingest. Write the content, then <see cref="ContentWriter.CommitAsync"/>;
    /// disposing the writer without committing discards everything written.
    /// </summary>
    ValueTask<ContentWriter> OpenWriterAsync(CancellationToken cancellationToken);

    /// <summary>Every committed blob, in no particular order.</summary>
    IAsyncEnumerable<ContentInfo> ListAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Removes the blob. True when it was removed, false when it was absent. Readers that already
    /// opened it keep reading the old bytes. Callers own reachability: use leases or a GC walk.
    /// </summary>
    ValueTask<bool> DeleteAsync(Digest digest, CancellationToken cancellationToken);
}
