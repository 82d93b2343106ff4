using System.IO.Hashing;
using Strata.Archive;

namespace Strata.Analysis.Image;

/// <summary>
/// Sees each regular file's content once as the layer streams by: hashes all of it (XXH128, to
/// tell a copy-up that only changed metadata from a real change) and hands it to the secret
/// scanner. XXH128 instead of SHA-256: the hash only compares two copies of one path in one
/// image (no adversary gains from a collision but a missed copy-up finding), and it runs at memory
/// speed where SHA-256 would cost about as much CPU as the decompression.
/// </summary>
internal sealed class ContentProbe(SecretScanner scanner) : ILayerContentObserver
{
    private readonly XxHash128 _hash = new();
    private ILayerContentObserver? _scanning;

    /// <summary>Starts a file of <paramref name="size"/> bytes.</summary>
    public ContentProbe Begin(long size)
    {
        _hash.Reset();
        _scanning = scanner.Begin(size);
        return this;
    }

    public void Observe(ReadOnlySpan<byte> chunk)
    {
        _hash.Append(chunk);
        _scanning?.Observe(chunk);
    }

    /// <summary>The file's hash and what the scanner found in it (by name and content).</summary>
    public (UInt128 Hash, IReadOnlyList<SecretHit> Secrets) Finish(string fileName)
    {
        // Empty files too: their names alone can be findings (an empty id_rsa, .env).
        IReadOnlyList<SecretHit> hits = scanner.Finish(fileName);
        _scanning = null;
        return (_hash.GetCurrentHashAsUInt128(), hits);
    }
}
