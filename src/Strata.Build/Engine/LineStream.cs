using System.Text;

namespace Strata.Build.Engine;

/// <summary>A write-only stream that hands complete UTF-8 lines to a callback (a partial last line on dispose).</summary>
internal sealed class LineStream : Stream
{
    private const int MaxLine = 16 * 1024;
    private readonly Action<string> _onLine;
    private readonly MemoryStream _pending = new();

    public LineStream(Action<string> onLine) => _onLine = onLine;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        lock (_pending)
        {
            foreach (var b in buffer)
            {
                if (b == (byte)'\n' || _pending.Length >= MaxLine) Emit();
                if (b != (byte)'\n') _pending.WriteByte(b);
            }
        }
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Write(buffer.AsSpan(offset, count));
        return Task.CompletedTask;
    }

    private void Emit()
    {
        var line = Encoding.UTF8.GetString(_pending.GetBuffer(), 0, (int)_pending.Length).TrimEnd('\r');
        _pending.SetLength(0);
        _onLine(line);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            lock (_pending)
            {
                if (_pending.Length > 0) Emit();
            }
            _pending.Dispose();
        }
        base.Dispose(disposing);
    }

    public override void Flush() { }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
