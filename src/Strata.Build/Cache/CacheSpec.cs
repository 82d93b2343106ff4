using Strata.Core;

namespace Strata.Build.Cache;

/// <summary>Which records <c>--cache-to</c> exports: min = the final image's stages, max = every stage built.</summary>
public enum CacheExportMode
{
    Min,
    Max,
}

/// <summary><c>--cache-to type=local,dest=DIR[,mode=min|max][,mounts=true][,compression=gzip|zstd|uncompressed][,compression-level=N]</c>.</summary>
public sealed record CacheExportSpec(string Destination, CacheExportMode Mode, bool Mounts)
{
    /// <summary>How uncompressed layers are written (buildx's <c>compression=</c> and <c>compression-level=</c>); default gzip 6.</summary>
    public Images.Transfer.ExportCompression Compression { get; init; } = Images.Transfer.ExportCompression.Default;

    /// <summary>Whether a <c>--cache-to</c> value is <c>type=inline</c> (keys in the image's config, <see cref="BuildCacheOptions.Inline"/>).</summary>
    public static bool IsInline(string text) => CacheSpecFields.Parse(text, "--cache-to") is var f && f.GetValueOrDefault("type") == "inline" && f.Count == 1;

    /// <summary>Parses a <c>--cache-to</c> value; any other type or a missing dest is a one-line error naming the value.</summary>
    public static CacheExportSpec Parse(string text)
    {
        var fields = CacheSpecFields.Parse(text, "--cache-to");
        var type = fields.GetValueOrDefault("type", "local");
        if (type == "registry") throw new InvalidArgumentException("cache type registry is not supported yet");
        if (type == "inline") throw new InvalidArgumentException($"--cache-to \"{text}\": type=inline takes no other fields");
        if (type != "local") throw new InvalidArgumentException($"--cache-to \"{text}\": unknown cache type \"{type}\": use type=local or type=inline");
        var dest = fields.GetValueOrDefault("dest") is { Length: > 0 } d ? d : throw new InvalidArgumentException($"--cache-to \"{text}\": type=local needs dest=DIR");
        var mode = fields.GetValueOrDefault("mode", "min") switch
        {
            "min" => CacheExportMode.Min,
            "max" => CacheExportMode.Max,
            var other => throw new InvalidArgumentException($"--cache-to \"{text}\": unknown mode \"{other}\": use min or max"),
        };
        var mounts = fields.GetValueOrDefault("mounts", "false") switch
        {
            "true" => true,
            "false" => false,
            var other => throw new InvalidArgumentException($"--cache-to \"{text}\": mounts must be true or false, not \"{other}\""),
        };
        foreach (var key in fields.Keys.Where(k => k is not ("type" or "dest" or "mode" or "mounts" or "compression" or "compression-level")))
            throw new InvalidArgumentException($"--cache-to \"{text}\": unknown field \"{key}\"");
        int? level = fields.GetValueOrDefault("compression-level") is { } l
            ? int.TryParse(l, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : throw new InvalidArgumentException($"--cache-to \"{text}\": compression-level must be a number, not \"{l}\"")
            : null;
        var compression = Images.Transfer.ExportCompression.Parse(fields.GetValueOrDefault("compression"), level, $"--cache-to \"{text}\": compression");
        return new CacheExportSpec(Path.GetFullPath(dest), mode, mounts) { Compression = compression };
    }
}

/// <summary>
/// <c>--cache-from type=local,src=DIR</c> (a directory <c>--cache-to</c> wrote: <see cref="Source"/>)
/// or <c>--cache-from IMAGE</c> (an image in the store built with <c>--cache-to type=inline</c>: <see cref="Image"/>).
/// </summary>
public sealed record CacheImportSpec(string? Source, string? Image = null)
{
    public static CacheImportSpec Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.Contains('=', StringComparison.Ordinal)) return new CacheImportSpec(null, text);
        var fields = CacheSpecFields.Parse(text, "--cache-from");
        var type = fields.GetValueOrDefault("type", "local");
        if (type == "registry") throw new InvalidArgumentException("cache type registry is not supported yet");
        if (type != "local") throw new InvalidArgumentException($"--cache-from \"{text}\": unknown cache type \"{type}\": use type=local or an image name");
        var src = fields.GetValueOrDefault("src") is { Length: > 0 } s ? s : throw new InvalidArgumentException($"--cache-from \"{text}\": type=local needs src=DIR");
        foreach (var key in fields.Keys.Where(k => k is not ("type" or "src")))
            throw new InvalidArgumentException($"--cache-from \"{text}\": unknown field \"{key}\"");
        return new CacheImportSpec(Path.GetFullPath(src));
    }
}

/// <summary>The comma-separated <c>key=value</c> fields of a cache spec.</summary>
internal static class CacheSpecFields
{
    public static Dictionary<string, string> Parse(string text, string flag)
    {
        ArgumentNullException.ThrowIfNull(text);
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0) throw new InvalidArgumentException($"{flag} \"{text}\": field \"{part}\" is not key=value");
            if (!fields.TryAdd(part[..eq], part[(eq + 1)..])) throw new InvalidArgumentException($"{flag} \"{text}\": field \"{part[..eq]}\" is given twice");
        }
        return fields;
    }
}
