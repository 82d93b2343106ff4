namespace Strata.Core;

/// <summary>
/// A forward-only read stream over another that reports the bytes read so far as one
/// <see cref="ByteProgress"/> item. Disposing it disposes the inner stream.
/// </summary>
public sealed class ProgressReadStream : Stream
{
    private readonly Stream _inner;
    private readonly IProgress<ByteProgress> _progress;
    private readonly string _item;
    private readonly long? _total;
    private long _read;

    public ProgressReadStream(Stream inner, IProgress<ByteProgress> progress, string item, long? total)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(progress);
        _inner = inner;
        _progress = progress;
        _item = item;
        _total = total;
        progress.Report(new ByteProgress(item, 0, total));
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _read;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Counted(_inner.Read(buffer, offset, count));

    public override int Read(Span<byte> buffer) => Counted(_inner.Read(buffer));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Counted(await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

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

    private int Counted(int n)
    {
        if (n > 0)
        {
            _read += n;
            _progress.Report(new ByteProgress(_item, _read, _total));
        }
        return n;
    }
}
