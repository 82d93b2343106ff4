using System.Security.Cryptography;
using Strata.Core;

namespace Strata.Archive.IO;

/// <summary>A write-only pass-through that sha256-hashes and counts what goes by, so a digest
/// costs no second read of the data.</summary>
internal sealed class HashingWriteStream : WriteOnlyStream
{
    private readonly Stream _inner;
    private readonly bool _leaveOpen;
    private readonly IncrementalHash? _hash;

    /// <param name="hash">False when only the count is wanted (the destination hashes itself).</param>
    public HashingWriteStream(Stream inner, bool leaveOpen, bool hash = true)
    {
        _inner = inner;
        _leaveOpen = leaveOpen;
        _hash = hash ? IncrementalHash.CreateHash(HashAlgorithmName.SHA256) : null;
    }

    public long BytesWritten { get; private set; }

    public Digest GetDigest() => Digest.FromSha256Bytes((_hash ?? throw new InvalidOperationException("this stream only counts")).GetHashAndReset());

    public override long Position { get => BytesWritten; set => throw new NotSupportedException(); }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        _hash?.AppendData(buffer);
        BytesWritten += buffer.Length;
        _inner.Write(buffer);
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        _hash?.AppendData(buffer.Span);
        BytesWritten += buffer.Length;
        await _inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush() => _inner.Flush();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _hash?.Dispose();
            if (!_leaveOpen) _inner.Dispose();
        }
        base.Dispose(disposing);
    }
}
