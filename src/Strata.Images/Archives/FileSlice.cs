using Microsoft.Win32.SafeHandles;

namespace Strata.Images.Archives;

/// <summary>A read-only window onto part of a file, read with positional I/O so many slices can share one handle.</summary>
internal sealed class FileSlice : Stream
{
    private readonly SafeFileHandle _handle;
    private readonly long _start;
    private readonly long _length;
    private long _position;

    public FileSlice(SafeFileHandle handle, long start, long length)
    {
        _handle = handle;
        _start = start;
        _length = length;
    }

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => _length;

    public override long Position
    {
        get => _position;
        set => _position = Math.Clamp(value, 0, _length);
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int want = (int)Math.Min(buffer.Length, _length - _position);
        if (want <= 0) return 0;
        int n = RandomAccess.Read(_handle, buffer[..want], _start + _position);
        _position += n;
        return n;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int want = (int)Math.Min(buffer.Length, _length - _position);
        if (want <= 0) return 0;
        int n = await RandomAccess.ReadAsync(_handle, buffer[..want], _start + _position, cancellationToken).ConfigureAwait(false);
        _position += n;
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override long Seek(long offset, SeekOrigin origin) => Position = origin switch
    {
        SeekOrigin.Begin => offset,
        SeekOrigin.Current => _position + offset,
        _ => _length + offset,
    };

    public override void Flush() { }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
