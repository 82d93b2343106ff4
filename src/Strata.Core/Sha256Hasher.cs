using System.Security.Cryptography;

namespace Strata.Core;

/// <summary>
/// SHA-256 that hashes small inputs (up to <see cref="SmallInput"/> bytes) in managed code and
/// larger ones with the platform's implementation (OpenSSL), so that commands hashing only small
/// things never load OpenSSL: loading libssl and libcrypto and resolving their functions cost
/// ~2 ms of every no-op build, more than all its hashes. The incremental form keeps the first
/// bytes until it knows which side of the line it is on.
/// </summary>
public sealed class Sha256Hasher : IDisposable
{
    /// <summary>Up to this many bytes are hashed in managed code (tens of microseconds at most).</summary>
    public const int SmallInput = 16 * 1024;

    private byte[]? _small = new byte[256];
    private int _length;
    private IncrementalHash? _large;

    /// <summary>The hash of <paramref name="data"/> into <paramref name="destination"/> (32 bytes).</summary>
    public static void Hash(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        if (data.Length <= SmallInput) ManagedSha256.Hash(data, destination);
        else SHA256.HashData(data, destination);
    }

    public void AppendData(ReadOnlySpan<byte> data)
    {
        ObjectDisposedException.ThrowIf(_small is null && _large is null, this);
        if (_large is not null)
        {
            _large.AppendData(data);
            return;
        }
        if (_length + data.Length > SmallInput)
        {
            _large = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            _large.AppendData(_small.AsSpan(0, _length));
            _large.AppendData(data);
            _small = null;
            return;
        }
        if (_length + data.Length > _small!.Length) Array.Resize(ref _small, Math.Min(SmallInput, Math.Max(_small.Length * 2, _length + data.Length)));
        data.CopyTo(_small.AsSpan(_length));
        _length += data.Length;
    }

    /// <summary>The hash of everything appended; the hasher starts over.</summary>
    public byte[] GetHashAndReset()
    {
        ObjectDisposedException.ThrowIf(_small is null && _large is null, this);
        if (_large is not null)
        {
            var hash = _large.GetHashAndReset();
            _large.Dispose();
            _large = null;
            _small = new byte[256];
            _length = 0;
            return hash;
        }
        var result = new byte[32];
        ManagedSha256.Hash(_small.AsSpan(0, _length), result);
        _length = 0;
        return result;
    }

    public void Dispose()
    {
        _large?.Dispose();
        _large = null;
        _small = null;
    }
}
