using System.Diagnostics.CodeAnalysis;
using Strata.Core;

namespace Strata.Content;

/// <summary>
/// A write-only stream into one ingest of an <see cref="IContentStore"/>; it hashes while
/// writing. Nothing written is visible until <see cref="CommitAsync"/> succeeds. Disposing
/// without a successful commit removes the ingest.
/// </summary>
[SuppressMessage("Naming", "CA1710:Identifiers should have correct suffix", Justification = "The contract's name: it writes content, the Stream base is how.")]
public abstract class ContentWriter : Stream
{
    /// <summary>The ingest's name inside the store (for messages and debugging).</summary>
    public abstract string Ref { get; }

    /// <summary>
    /// Makes the content a blob: flush, fsync, check <paramref name="expectedSize"/> and
    /// <paramref name="expectedDigest"/> when given, make it read-only, rename it into place,
    /// fsync the directory. Committing content that is already stored is success (the ingest is
    /// dropped). After the call, success or failure, the writer is finished.
    /// </summary>
    /// <exception cref="DigestMismatchException">The size or digest is not the expected one;
    /// the ingest is removed and no blob is created.</exception>
    /// <exception cref="InvalidArgumentException"><paramref name="expectedDigest"/> is not sha256.</exception>
    public abstract ValueTask<ContentInfo> CommitAsync(long? expectedSize, Digest? expectedDigest, CancellationToken cancellationToken);

    public sealed override bool CanRead => false;

    public sealed override bool CanSeek => false;

    public sealed override bool CanWrite => true;

    public sealed override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("A content writer is write-only.");

    public sealed override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException("A content writer cannot seek.");

    public sealed override void SetLength(long value) => throw new NotSupportedException("A content writer cannot change its length.");
}
