using Strata.Core;

namespace Strata.Archive;

/// <summary>What an apply read.</summary>
/// <param name="DiffId">sha256 of the whole uncompressed tar stream read (trailing padding included).</param>
/// <param name="UncompressedSize">Bytes of that stream.</param>
/// <param name="Entries">Entries applied (whiteouts and markers included, PAX headers not).</param>
public sealed record LayerApplyResult(DiffId DiffId, long UncompressedSize, long Entries)
{
    /// <summary>sha256 of the blob as given (compressed, if it was).</summary>
    public Digest Digest { get; init; }

    /// <summary>Bytes of the blob as given.</summary>
    public long Size { get; init; }
}
