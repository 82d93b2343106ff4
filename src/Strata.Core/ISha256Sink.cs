namespace Strata.Core;

/// <summary>
/// A write stream that already sha256-hashes every byte written to it (a content store ingest),
/// so a producer writing into it need not hash the same bytes a second time.
/// </summary>
public interface ISha256Sink
{
    /// <summary>Bytes written since the stream was opened.</summary>
    long BytesWritten { get; }

    /// <summary>The sha256 digest of every byte written so far; writing may continue afterwards.</summary>
    Digest CurrentDigest();
}
