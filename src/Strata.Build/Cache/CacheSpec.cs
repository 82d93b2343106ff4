using Strata.Core;

namespace Strata.Build.Cache;

/// <summary>Which records <c>--cache-to</c> exports: min = the final image's stages, max = every stage built.</summary>
public enum CacheExportMode
{
    Min,
    Max,
}

/// <summary>
/// <c>--cache-to type=local,dest=DIR[,mode=min|max][,mounts=true][,compression=gzip|zstd|uncompressed][,compression-level=N]</c>,
/// or <c>type=registry,ref=REF</c> with the same other fields (<see cref="Registry"/> set, <see cref="Destination"/> the reference).
/// </summary>
public sealed record CacheExportSpec(string Destination, CacheExportMode Mode, bool Mounts)
{
    /// <summary>The repository and tag a <c>type=registry</c> export is pushed to; null for <c>type=local</c>.</summary>
    public ImageReference? Registry { get; init; }

    /// <summary>How uncompressed layers are written (buildx's <c>compression=</c> and <c>compression-level=</c>); default gzip 6.</summary>
    public Images.Transfer.ExportCompression Compression { get; init; } = Images.Transfer.ExportCompression.Default;

    /// <summary>Whether a <c>--cache-to</c> value is <c>type=inline</c> (keys in the image's config, <see cref="BuildCacheOptions.Inline"/>).</summary>
    public static bool IsInline(string text) => CacheSpecFields.Parse(text, "--cache-to") is var f && f.GetValueOrDefault("type") == "inline" && f.Count == 1;

    /// <summary>Parses a <c>--cache-to</c> value; any other type or a missing dest is a one-line error naming the value.</summary>
    public static CacheExportSpec Parse(string text)
    {
        var fields = CacheSpecFields.Parse(text, "--cache-to");
        var type = fields.GetValueOrDefault("type", "local");
        if (type == "inline") throw new InvalidArgumentException($"--cache-to \"{text}\": type=inline takes no other fields");
        if (type is not ("local" or "registry")) throw new InvalidArgumentException($"--cache-to \"{text}\": unknown cache type \"{type}\": use type=local, type=registry or type=inline");
        var registry = type == "registry" ? CacheSpecFields.Reference(fields, text, "--cache-to") : null;
        if (registry?.Digest is not null) throw new InvalidArgumentException($"--cache-to \"{text}\": ref names a digest: a cache is pushed under a tag");
        var dest = registry is not null ? registry.ToString()
            : fields.GetValueOrDefault("dest") is { Length: > 0 } d ? d : throw new InvalidArgumentException($"--cache-to \"{text}\": type=local needs dest=DIR");
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
        foreach (var key in fields.Keys.Where(k => k is not ("type" or "mode" or "mounts" or "compression" or "compression-level") && k != (registry is null ? "dest" : "ref")
                     && (registry is null || !CacheSpecFields.IsManifestShape(k, fields[k], text))))
            throw new InvalidArgumentException($"--cache-to \"{text}\": unknown field \"{key}\"");
        int? level = fields.GetValueOrDefault("compression-level") is { } l
            ? int.TryParse(l, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : throw new InvalidArgumentException($"--cache-to \"{text}\": compression-level must be a number, not \"{l}\"")
            : null;
        var compression = Images.Transfer.ExportCompression.Parse(fields.GetValueOrDefault("compression"), level, $"--cache-to \"{text}\": compression");
        return new CacheExportSpec(registry is null ? Path.GetFullPath(dest) : dest, mode, mounts) { Compression = compression, Registry = registry };
    }
}

/// <summary>
/// <c>--cache-from type=local,src=DIR</c> (a directory <c>--cache-to</c> wrote: <see cref="Source"/>),
/// <c>--cache-from type=registry,ref=REF</c> (what <c>--cache-to type=registry</c> pushed: <see cref="Registry"/>, <see cref="Source"/> the reference)
/// or <c>--cache-from IMAGE</c> (an image in the store built with <c>--cache-to type=inline</c>: <see cref="Image"/>).
/// </summary>
public sealed record CacheImportSpec(string? Source, string? Image = null)
{
    /// <summary>The manifest a <c>type=registry</c> import reads (by tag or digest); null otherwise.</summary>
    public ImageReference? Registry { get; init; }

    public static CacheImportSpec Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.Contains('=', StringComparison.Ordinal)) return new CacheImportSpec(null, text);
        var fields = CacheSpecFields.Parse(text, "--cache-from");
        var type = fields.GetValueOrDefault("type", "local");
        if (type == "registry")
        {
            var reference = CacheSpecFields.Reference(fields, text, "--cache-from");
            foreach (var key in fields.Keys.Where(k => k is not ("type" or "ref")))
                throw new InvalidArgumentException($"--cache-from \"{text}\": unknown field \"{key}\"");
            return new CacheImportSpec(reference.ToString()) { Registry = reference };
        }
        if (type != "local") throw new InvalidArgumentException($"--cache-from \"{text}\": unknown cache type \"{type}\": use type=local, type=registry or an image name");
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

    /// <summary>The <c>ref=</c> of a <c>type=registry</c> cache: required, and a valid reference (a bare tag defaults to latest).</summary>
    public static ImageReference Reference(Dictionary<string, string> fields, string text, string flag)
    {
        if (fields.GetValueOrDefault("ref") is not { Length: > 0 } value) throw new InvalidArgumentException($"{flag} \"{text}\": type=registry needs ref=REPOSITORY[:TAG]");
        try
        {
            var reference = ImageReference.Parse(value);
            return reference.Tag is null && reference.Digest is null ? reference.WithTag(ImageReference.DefaultTag) : reference;
        }
        catch (InvalidArgumentException ex)
        {
            throw new InvalidArgumentException($"{flag} \"{text}\": {ex.Message}");
        }
    }

    /// <summary>
    /// buildx's <c>image-manifest=true</c> and <c>oci-mediatypes=true</c> (what CI scripts pass for
    /// ECR and GCR) describe the only shape Strata writes, so they are accepted; <c>false</c> is refused.
    /// </summary>
    public static bool IsManifestShape(string key, string value, string text)
    {
        if (key is not ("image-manifest" or "oci-mediatypes")) return false;
        return value == "true" ? true : throw new InvalidArgumentException($"--cache-to \"{text}\": {key}={value} is not supported: Strata stores a registry cache as one OCI image manifest");
    }
}
