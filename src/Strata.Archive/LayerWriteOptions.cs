namespace Strata.Archive;

/// <summary>How <see cref="LayerWriter"/> encodes a layer.</summary>
public sealed record LayerWriteOptions
{
    /// <summary>Defaults: gzip level 6 compressed on every core, no mtime clamping.</summary>
    public static LayerWriteOptions Default { get; } = new();

    /// <summary>Compression of the blob (default gzip).</summary>
    public LayerCompression Compression { get; init; } = LayerCompression.Gzip;

    /// <summary>When set, every mtime later than this is written as this instant
    /// (SOURCE_DATE_EPOCH semantics), so rebuilding the same content gives the same digest.</summary>
    public DateTimeOffset? SourceDateEpoch { get; init; }

    /// <summary>zlib level 0..9 of gzip (zlib-ng underneath). Default 6, the level docker's and
    /// BuildKit's gzip use; build steps use 1. The blob is one gzip member made of independently
    /// deflated 1 MiB chunks compressed on every core; a chunk that does not compress (random or
    /// already compressed data) is stored, at the cost of a copy. Level 0 stores everything.</summary>
    public int GzipLevel { get; init; } = 6;

    /// <summary>zstd level (1..22); 3 is zstd's own default.</summary>
    public int ZstdLevel { get; init; } = 3;

    /// <summary>Compress on other threads (gzip: one per core) while the caller's thread reads
    /// files and writes tar headers. Does not change a single output byte, only wall time.</summary>
    public bool CompressInParallel { get; init; } = true;

    /// <summary>Told the content bytes (regular files and symlink targets, as
    /// <see cref="LayerWriteResult.ContentSize"/> counts them) written so far, on the writer's
    /// thread, as files are read; null (the default): nobody watches.</summary>
    public IProgress<long>? Progress { get; init; }
}
