using System.Security.Cryptography;
using Strata.Core;

namespace Strata.Content;

/// <summary>
/// A forward-only read stream over a blob that hashes what passes through and, when its end is
/// reached, throws <see cref="DigestMismatchException"/> unless the bytes hash to the expected
/// digest (and, when a size is given, unless exactly that many went by). The content store hands
/// out its blobs through one; image sources wrap blobs read from elsewhere (an archive member, a
/// layout file) in one, so corruption is caught as a blob streams out.
/// </summary>
public sealed class VerifyingReadStream : Stream
{
    private readonly Stream _inner;
    private readonly Digest _expected;
    private readonly long? _size;
    private readonly string? _what;
    private readonly IncrementalHash? _hash;
    private long _read;
    private bool _verified;

    /// <param name="inner">The blob's bytes; disposed with this stream.</param>
    /// <param name="expected">The digest the bytes must hash to. Only sha256 is computed: a blob of another registered algorithm is checked for size only.</param>
    /// <param name="size">The size the bytes must have, or null to check the digest alone.</param>
    /// <param name="what">Names the blob in errors, where it comes from first (<c>ARCHIVE: blobs/sha256/HEX</c>); null: "blob DIGEST".</param>
    public VerifyingReadStream(Stream inner, Digest expected, long? size = null, string? what = null)
    {
        ArgumentNullException.ThrowIfNull(inner);
        _inner = inner;
        _expected = expected;
        _size = size;
        _what = what;
        if (expected.Algorithm == Digest.Sha256) _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => _size ?? _inner.Length;

    public override long Position
    {
        get => _read;
        set => throw new NotSupportedException("A verified blob stream cannot seek.");
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer) => Account(buffer[.._inner.Read(buffer)], buffer.Length);

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
            _hash?.Dispose();
        }
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await _inner.DisposeAsync().ConfigureAwait(false);
        _hash?.Dispose();
        await base.DisposeAsync().ConfigureAwait(false);
    }

    private int Account(ReadOnlySpan<byte> data, int requested)
    {
        if (data.Length > 0)
        {
            _hash?.AppendData(data);
            _read += data.Length;
            if (_read > _size)
                throw new DigestMismatchException($"{_what ?? $"blob {_expected}"} is longer than the {_size} bytes its descriptor says");
        }
        else if (requested > 0 && !_verified)
        {
            _verified = true;
            if (_size is { } size && _read != size)
                throw new DigestMismatchException($"{_what ?? $"blob {_expected}"} is {_read} bytes, its descriptor says {size}");
            if (_hash is null) return 0;
            var actual = Digest.FromSha256Bytes(_hash.GetHashAndReset());
            if (actual != _expected) throw new DigestMismatchException(_expected, actual, _what ?? $"blob {_expected} is corrupt ({_read} bytes read)");
        }
        return data.Length;
    }
}
