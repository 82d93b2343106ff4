namespace Strata.Registry.Transport;

/// <summary>
/// A blob coming down from a registry, read forward once to its descriptor's size
/// (<see cref="ResumingBlobStream"/>, <see cref="RangedBlobStream"/>): the Stream members every
/// download shares, so a subclass writes only its asynchronous read and its disposal. Sync reads
/// block on the async path: a download is network I/O either way.
/// </summary>
internal abstract class BlobDownloadStream(long size) : Stream
{
    /// <summary>The blob's size from its descriptor: the stream ends there, never before or after.</summary>
    protected long Size { get; } = size;

    /// <summary>Bytes given to the reader so far.</summary>
    protected long Received { get; set; }

    public sealed override bool CanRead => true;

    public sealed override bool CanSeek => false;

    public sealed override bool CanWrite => false;

    public sealed override long Length => Size;

    public sealed override long Position
    {
        get => Received;
        set => throw new NotSupportedException("A blob download cannot seek.");
    }

    public abstract override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default);

    public sealed override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public sealed override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public sealed override int Read(Span<byte> buffer)
    {
        var rented = System.Buffers.ArrayPool<byte>.Shared.Rent(buffer.Length);
        try
        {
            int n = Read(rented, 0, buffer.Length);
            rented.AsSpan(0, n).CopyTo(buffer);
            return n;
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(rented);
        }
    }

    public sealed override void Flush() { }

    public sealed override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException("A blob download cannot seek.");

    public sealed override void SetLength(long value) => throw new NotSupportedException("A blob download is read-only.");

    public sealed override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("A blob download is read-only.");
}
