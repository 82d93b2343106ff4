using System.Buffers;

namespace Strata.Archive.IO;

/// <summary>A write-only in-memory stream over a pooled array that grows as needed. The
/// caller takes the array with <see cref="Detach"/> and returns it to the shared pool.</summary>
internal sealed class PooledBufferStream : WriteOnlyStream
{
    private byte[] _buffer;

    public PooledBufferStream(int initialCapacity) => _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(initialCapacity, 256));

    public int Count { get; private set; }

    /// <summary>The bytes written so far (the first <see cref="Count"/> of the array); the
    /// stream must not be used afterwards.</summary>
    public byte[] Detach()
    {
        var b = _buffer;
        _buffer = [];
        return b;
    }

    public override long Length => Count;

    public override long Position { get => Count; set => throw new NotSupportedException(); }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (Count + buffer.Length > _buffer.Length)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, Count + buffer.Length));
            _buffer.AsSpan(0, Count).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
        }
        buffer.CopyTo(_buffer.AsSpan(Count));
        Count += buffer.Length;
    }

    public override void WriteByte(byte value) => Write([value]);

    protected override void Dispose(bool disposing)
    {
        if (disposing && _buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }
        base.Dispose(disposing);
    }
}
