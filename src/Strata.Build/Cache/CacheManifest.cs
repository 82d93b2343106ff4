namespace Strata.Build.Cache;

/// <summary>
/// The config blob of an exported cache (media type <see cref="MediaType"/>): per step, its key
/// and what a hit needs (the layer with its diff ID and sizes, the snapshot name, the history
/// text and time), and the cache mount directories exported as layers. The layout's manifest
/// lists the same layers, so any OCI tool can copy the layout whole.
/// </summary>
internal sealed record CacheManifest
{
    public const string MediaType = "application/vnd.strata.buildcache.config.v1+json";

    /// <summary>The manifest's <c>artifactType</c>: tools that list artifacts see what this is.</summary>
    public const string ArtifactType = "application/vnd.strata.buildcache.v1";

    /// <summary>The ref name in the layout's index.json.</summary>
    public const string RefName = "strata-build-cache";

    /// <summary>The annotation on a mount layer's descriptor naming the cache mount directory.</summary>
    public const string MountAnnotation = "dev.strata.cache.mount";

    /// <summary>
    /// The format this strata writes and reads. 2: keys follow a base image's ID (its config
    /// digest). Version 1 keys named the base's manifest digest as well, so they can never match a
    /// key made now; <see cref="CacheImporter"/> passes over such a cache with a warning.
    /// </summary>
    public const int CurrentVersion = 2;

    /// <summary>The version that keyed base images by manifest digest too.</summary>
    public const int ManifestKeyedVersion = 1;

    public int Version { get; init; } = CurrentVersion;

    public List<CacheManifestRecord> Records { get; init; } = [];

    public List<CacheManifestMount> Mounts { get; init; } = [];

    /// <summary>The base images the exported builds started from (null in caches written before they were listed).</summary>
    public List<CacheManifestBase>? Bases { get; init; }
}

/// <summary>One step's record; <see cref="Layer"/> is null for a step that made no layer (metadata steps).</summary>
internal sealed record CacheManifestRecord
{
    public required string Key { get; init; }

    public string? Layer { get; init; }

    public string? DiffId { get; init; }

    public string? LayerMediaType { get; init; }

    public long? LayerSize { get; init; }

    public long? ContentSize { get; init; }

    public string? Snapshot { get; init; }

    public string? CreatedBy { get; init; }

    public DateTimeOffset? HistoryCreated { get; init; }
}

/// <summary>A cache mount directory (<c>&lt;store&gt;/cache/mounts/NAME</c>) exported as one layer.</summary>
internal sealed record CacheManifestMount
{
    public required string Name { get; init; }

    public required string Layer { get; init; }

    public required string DiffId { get; init; }

    public required string MediaType { get; init; }

    public long Size { get; init; }
}

/// <summary>Source-generated JSON (camelCase) for the exported cache's config blob.</summary>
[System.Text.Json.Serialization.JsonSourceGenerationOptions(
    DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.CamelCase)]
[System.Text.Json.Serialization.JsonSerializable(typeof(CacheManifest))]
[System.Text.Json.Serialization.JsonSerializable(typeof(List<InlineCacheEntry>))]
internal sealed partial class CacheManifestJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
