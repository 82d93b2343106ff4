using System.Security.Cryptography;
using Strata.Core;

namespace Strata.Content;

/// <summary>
/// Forward-only read stream over a blob that hashes what passes through and, at end of stream,
/// throws <see cref="DigestMismatchException"/> unless the bytes hash to the expected digest.
/// </summary>
internal sealed class VerifyingReadStream : Stream
{
    private readonly FileStream _inner;
    private readonly Digest _expected;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private long _read;
    private bool _verified;

    public VerifyingReadStream(FileStream inner, Digest expected)
    {
        _inner = inner;
        _expected = expected;
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => _inner.Length;

    public override long Position
    {
        get => _read;
        set => throw new NotSupportedException("A verified blob stream cannot seek.");
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int n = _inner.Read(buffer);
        return Account(buffer[..n], buffer.Length);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int n = await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        return Account(buffer.Span[..n], buffer.Length);
    }

    public override void Flush() { }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException("A verified blob stream cannot seek.");

    public override void SetLength(long value) => throw new NotSupportedException("A verified blob stream is read-only.");

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("A verified blob stream is read-only.");

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
            _hash.Dispose();
        }
        base.Dispose(disposing);
    }

    private int Account(ReadOnlySpan<byte> data, int requested)
    {
        if (data.Length > 0)
        {
            _hash.AppendData(data);
            _read += data.Length;
        }
        else if (requested > 0 && !_verified)
        {
            _verified = true;
            var actual = Digest.FromSha256Bytes(_hash.GetHashAndReset());
            if (actual != _expected) throw new DigestMismatchException(_expected, actual, $"blob {_expected} is corrupt ({_read} bytes read)");
        }
        return data.Length;
    }
}
