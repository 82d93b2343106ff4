using Strata.Archive;

namespace Strata.Images.Transfer;

/// <summary>
/// How layers leave the machine (save, <c>--output</c>, cache export, push): the store keeps
/// build layers uncompressed, and an export turns each into its compressed variant once (the
/// variant is remembered, so the next export reads it). Layers already compressed (loaded or
/// pulled) leave as they came. Defaults: gzip at level 6, what <c>docker push</c> makes.
/// </summary>
public sealed record ExportCompression
{
    /// <summary>gzip at its default level.</summary>
    public static ExportCompression Default { get; } = new();

    /// <summary>Layers as stored: nothing is compressed.</summary>
    public static ExportCompression Uncompressed { get; } = new() { Compression = LayerCompression.None };

    /// <summary>gzip (default), zstd, or none (uncompressed layers leave uncompressed).</summary>
    public LayerCompression Compression { get; init; } = LayerCompression.Gzip;

    /// <summary>gzip 0-9 or zstd 1-22; null for the compression's default (gzip 6, zstd 3).</summary>
    public int? Level { get; init; }

    /// <summary>At most this many layers compressed at once (each gzip layer uses every core itself).</summary>
    public int MaxParallelLayers { get; init; } = Math.Max(2, Environment.ProcessorCount);

    /// <summary>The level used: <see cref="Level"/> or the compression's default.</summary>
    public int EffectiveLevel => Level ?? LayerCompressor.DefaultLevel(Compression);

    /// <summary>Parses the <c>--compression</c> and <c>--compression-level</c> flags.</summary>
    public static ExportCompression Parse(string? compression, int? level, string flag)
    {
        var kind = compression switch
        {
            null or "gzip" => LayerCompression.Gzip,
            "zstd" => LayerCompression.Zstd,
            "uncompressed" or "none" => LayerCompression.None,
            var other => throw new Core.InvalidArgumentException($"{flag} \"{other}\": use gzip, zstd or uncompressed"),
        };
        if (level is { } l)
        {
            var (min, max) = kind switch { LayerCompression.Gzip => (0, 9), LayerCompression.Zstd => (1, 22), _ => (0, 0) };
            if (kind == LayerCompression.None) throw new Core.InvalidArgumentException($"--compression-level {l}: uncompressed layers have no level");
            if (l < min || l > max) throw new Core.InvalidArgumentException($"--compression-level {l}: out of range {min}-{max} for {compression ?? "gzip"}");
        }
        return new ExportCompression { Compression = kind, Level = level };
    }
}
