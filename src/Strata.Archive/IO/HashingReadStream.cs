using System.Security.Cryptography;
using Strata.Core;

namespace Strata.Archive.IO;

/// <summary>A read-only pass-through that hashes and counts, and stops at a byte cap: the cap
/// is what turns a decompression bomb into an error instead of a full disk.</summary>
internal sealed class HashingReadStream : Stream
{
    private readonly Stream _inner;
    private readonly long _cap;
    private readonly Func<long, Exception> _overCap;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    public HashingReadStream(Stream inner, long cap, Func<long, Exception> overCap)
    {
        _inner = inner;
        _cap = cap;
        _overCap = overCap;
    }

    public long BytesRead { get; private set; }

    public Digest GetDigest() => Digest.Parse("sha256:" + Convert.ToHexStringLower(_hash.GetHashAndReset()));

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => BytesRead; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int n = _inner.Read(buffer);
        return Account(buffer[..n]);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int n = await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        return Account(buffer.Span[..n]);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private int Account(ReadOnlySpan<byte> data)
    {
        BytesRead += data.Length;
        if (BytesRead > _cap) throw _overCap(_cap);
        _hash.AppendData(data);
        return data.Length;
    }

    public override void Flush() { }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) _hash.Dispose();
        base.Dispose(disposing);
    }
}
