using System.Text;

namespace Strata.Execution.Tests.Fixtures;

/// <summary>
/// A write-only sink that counts bytes and writes and keeps at most <c>keep</c> bytes of
/// content, so tests can check streaming (many bounded writes) without holding 10 MB.
/// </summary>
internal sealed class RecordingStream(int keep = 1 << 20) : Stream
{
    private readonly MemoryStream _kept = new();
    private readonly Lock _gate = new();

    public long TotalBytes { get; private set; }

    public int Writes { get; private set; }

    public int LargestWrite { get; private set; }

    public string Text
    {
        get
        {
            lock (_gate) return Encoding.UTF8.GetString(_kept.ToArray());
        }
    }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => TotalBytes;

    public override long Position { get => TotalBytes; set => throw new NotSupportedException(); }

    public override void Flush() { }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count)
    {
        lock (_gate)
        {
            TotalBytes += count;
            Writes++;
            LargestWrite = Math.Max(LargestWrite, count);
            int room = (int)Math.Max(0, keep - _kept.Length);
            _kept.Write(buffer, offset, Math.Min(room, count));
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _kept.Dispose();
        base.Dispose(disposing);
    }
}
