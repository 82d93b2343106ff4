namespace Strata.Build.Cache;

/// <summary>How a build uses its cache. The default reuses every valid record and explains misses in one line.</summary>
public sealed record BuildCacheOptions
{
    public static BuildCacheOptions Default { get; } = new();

    /// <summary>Run every step (records are still written for the next build). Default false.</summary>
    public bool NoCache { get; init; }

    /// <summary>Report each miss's full input diff, not just its first reason. Default false.</summary>
    public bool Explain { get; init; }

    /// <summary>Stages (by name or index) whose steps always run (<c>--no-cache-filter</c>); records are still written.</summary>
    public IReadOnlyList<string> NoCacheStages { get; init; } = [];

    /// <summary>
    /// <c>--pull</c>: re-resolve every base image name and re-read its manifest and config by
    /// digest, verifying their content, before the digest enters the first step's key (there is
    /// no registry yet, so the store's current image for the name is what is "pulled").
    /// </summary>
    public bool Pull { get; init; }

    /// <summary>Where to export this build's cache records after it succeeds (<c>--cache-to</c>), or null.</summary>
    public CacheExportSpec? ExportTo { get; init; }

    /// <summary>
    /// <c>--cache-to type=inline</c>: the image's config gets the label <see cref="InlineCache.Label"/>
    /// mapping each step's key to its layer and history entry, so <c>--cache-from IMAGE</c> can use
    /// the image as a cache in another store (this changes the image ID, as BuildKit's inline cache does).
    /// </summary>
    public bool Inline { get; init; }

    /// <summary>Caches to import before the build (<c>--cache-from</c>).</summary>
    public IReadOnlyList<CacheImportSpec> ImportFrom { get; init; } = [];

    /// <summary>How <c>type=registry</c> caches reach their registry (the CLI's glue); null: a registry cache is refused.</summary>
    public ICacheRegistry? Registry { get; init; }
}
