namespace Strata.Core;

/// <summary>
/// A read-only pass-through that tells <c>report</c> how many bytes went by so far after each
/// read (progress bars: pull and push, and <see cref="Reporting"/>: load, save and
/// import). The count is of bytes read, so it only grows.
/// </summary>
public sealed class CountingReadStream : Stream
{
    private readonly Stream _inner;
    private readonly Action<long> _report;
    private long _count;

    /// <param name="inner">Disposed with this stream.</param>
    /// <param name="start">Bytes already counted (a resumed upload starts past them).</param>
    public CountingReadStream(Stream inner, Action<long> report, long start = 0)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(report);
        _inner = inner;
        _report = report;
        _count = start;
    }

    /// <summary>
    /// A stream over <paramref name="inner"/> that reports the bytes read so far as one
    /// <see cref="ByteProgress"/> item, starting with 0 now.
    /// </summary>
    public static CountingReadStream Reporting(Stream inner, IProgress<ByteProgress> progress, string item, long? total)
    {
        ArgumentNullException.ThrowIfNull(progress);
        var counted = new CountingReadStream(inner, read => progress.Report(new ByteProgress(item, read, total)));
        progress.Report(new ByteProgress(item, 0, total));
        return counted;
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => _inner.Length;

    public override long Position
    {
        get => _count;
        set => throw new NotSupportedException("A counted stream cannot seek.");
    }

    public override int Read(byte[] buffer, int offset, int count) => Count(_inner.Read(buffer, offset, count));

    public override int Read(Span<byte> buffer) => Count(_inner.Read(buffer));

    public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Count(await _inner.ReadAsync(buffer.AsMemory(offset, count), cancellationToken).ConfigureAwait(false));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Count(await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));

    public override void Flush() { }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException("A counted stream cannot seek.");

    public override void SetLength(long value) => throw new NotSupportedException("A counted stream is read-only.");

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("A counted stream is read-only.");

    protected override void Dispose(bool disposing)
    {
        if (disposing) _inner.Dispose();
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await _inner.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    private int Count(int n)
    {
        if (n > 0)
        {
            _count += n;
            _report(_count);
        }
        return n;
    }
}
