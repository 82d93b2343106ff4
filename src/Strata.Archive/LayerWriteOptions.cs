using System.IO.Compression;

namespace Strata.Archive;

/// <summary>How <see cref="LayerWriter"/> encodes a layer.</summary>
public sealed record LayerWriteOptions
{
    /// <summary>Defaults: gzip at <see cref="CompressionLevel.Fastest"/>, no mtime clamping.</summary>
    public static LayerWriteOptions Default { get; } = new();

    /// <summary>Compression of the blob (default gzip).</summary>
    public LayerCompression Compression { get; init; } = LayerCompression.Gzip;

    /// <summary>When set, every mtime later than this is written as this instant
    /// (SOURCE_DATE_EPOCH semantics), so rebuilding the same content gives the same digest.</summary>
    public DateTimeOffset? SourceDateEpoch { get; init; }

    /// <summary>gzip level. Fastest (zlib-ng level 1) keeps pace with the tar producer on two
    /// cores; measured, see bench/. Optimal gives ~10% smaller blobs at about twice the time.</summary>
    public CompressionLevel GzipLevel { get; init; } = CompressionLevel.Fastest;

    /// <summary>zstd level (1..22); 3 is zstd's own default.</summary>
    public int ZstdLevel { get; init; } = 3;

    /// <summary>Compress on a second thread while the first reads files and writes tar headers.
    /// Does not change a single output byte, only wall time.</summary>
    public bool CompressInParallel { get; init; } = true;
}
