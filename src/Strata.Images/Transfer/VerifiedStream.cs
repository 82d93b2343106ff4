using System.Security.Cryptography;
using Strata.Core;

namespace Strata.Images.Transfer;

/// <summary>
/// A forward-only view of a blob that hashes what passes through and, when its end is reached,
/// throws <see cref="DigestMismatchException"/> naming the blob unless exactly the descriptor's
/// size and digest went by. Sources wrap every blob they hand out in one, whatever it is read
/// from (an archive member, a layout file), so corruption is caught as the blob streams out.
/// </summary>
internal sealed class VerifiedStream : Stream
{
    private readonly Stream _inner;
    private readonly Descriptor _expected;
    private readonly string _what;
    private readonly IncrementalHash? _hash;
    private long _read;
    private bool _checked;

    /// <param name="inner">The blob's bytes.</param>
    /// <param name="expected">The descriptor the bytes must match.</param>
    /// <param name="what">Names the blob in errors, where it comes from first (<c>ARCHIVE: blobs/sha256/HEX</c>, <c>FLAG: blob DIGEST</c>).</param>
    /// <param name="innerHashes">True when <paramref name="inner"/> checks the digest itself at its end (the content store's streams): only the size is counted here, so a blob is hashed once.</param>
    public VerifiedStream(Stream inner, Descriptor expected, string what, bool innerHashes = false)
    {
        _inner = inner;
        _expected = expected;
        _what = what;
        // Only sha256 is computed; another registered algorithm is checked for size only.
        if (!innerHashes && expected.Digest.Algorithm == Digest.Sha256) _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => _expected.Size;

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
            if (_read > _expected.Size)
                throw new DigestMismatchException($"{_what} is longer than the {_expected.Size} bytes its descriptor says");
        }
        else if (requested > 0 && !_checked)
        {
            _checked = true;
            if (_read != _expected.Size)
                throw new DigestMismatchException($"{_what} is {_read} bytes, its descriptor says {_expected.Size}");
            if (_hash is not null)
            {
                var actual = Digest.FromSha256Bytes(_hash.GetHashAndReset());
                if (actual != _expected.Digest) throw new DigestMismatchException(_expected.Digest, actual, _what);
            }
        }
        return data.Length;
    }
}
