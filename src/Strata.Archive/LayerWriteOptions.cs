namespace Strata.Archive;

/// <summary>How <see cref="LayerWriter"/> encodes a layer.</summary>
public sealed record LayerWriteOptions
{
    /// <summary>Defaults: gzip level 6 compressed on a second thread, no mtime clamping.</summary>
    public static LayerWriteOptions Default { get; } = new();

    /// <summary>Compression of the blob (default gzip).</summary>
    public LayerCompression Compression { get; init; } = LayerCompression.Gzip;

    /// <summary>When set, every mtime later than this is written as this instant
    /// (SOURCE_DATE_EPOCH semantics), so rebuilding the same content gives the same digest.</summary>
    public DateTimeOffset? SourceDateEpoch { get; init; }

    /// <summary>zlib level 1..9 of gzip (zlib-ng underneath). Default 6, the level docker's and
    /// BuildKit's gzip use, so blobs are as small as theirs; zlib-ng on a second thread still
    /// beats `tar -c | gzip -6` (about 0.5x its wall time on a 1 GiB mixed tree, see
    /// bench/Strata.Archive.Bench). Level 3 is about 2x faster for 3% more bytes; level 1
    /// (zlib-ng's "quick") 3.5x faster for 26% more.</summary>
    public int GzipLevel { get; init; } = 6;

    /// <summary>zstd level (1..22); 3 is zstd's own default.</summary>
    public int ZstdLevel { get; init; } = 3;

    /// <summary>Compress on a second thread while the first reads files and writes tar headers.
    /// Does not change a single output byte, only wall time.</summary>
    public bool CompressInParallel { get; init; } = true;
}
