using Strata.Images.Views;

namespace Strata.Build.Cache.Usage;

/// <summary><c>system df</c>: images with shared and unique sizes, containers, build cache.</summary>
public sealed record DiskUsageReport(
    IReadOnlyList<ImageUsage> Images,
    long ImagesTotalSize,
    long ImagesReclaimable,
    int ActiveImages,
    IReadOnlyList<ContainerUsage> Containers,
    long BuildCacheSize,
    long BlobBytesOnDisk)
{
    /// <summary>Every build cache record, most recently used first (<see cref="BuildCacheSize"/> is the bytes only they hold).</summary>
    public IReadOnlyList<BuildCacheEntry> BuildCache { get; init; } = [];

    /// <summary>RUN --mount=type=cache instances (docker's exec.cachemount build cache), least recently used first.</summary>
    public IReadOnlyList<CacheMountEntry> CacheMounts { get; init; } = [];

    /// <summary>ADD &lt;url&gt; downloads and ADD &lt;git&gt; clones (BuildKit's "http url" and source.git.checkout records), per cache least recently used first.</summary>
    public IReadOnlyList<SourceCacheEntry> Sources { get; init; } = [];

    /// <summary>Bytes of the cache's directories outside the blob store: cache mounts, downloads and clones.</summary>
    public long CacheDirectoryBytes => CacheMounts.Sum(m => m.Size) + Sources.Sum(d => d.Size);

    // The summary's rows (docker's TYPE TOTAL ACTIVE SIZE RECLAIMABLE), computed here so that
    // the CLI only renders them.

    /// <summary>Images (by ID: an image with two names is one).</summary>
    public int ImageCount => Images.Select(i => i.Id).Distinct().Count();

    public int RunningContainers => Containers.Count(c => c.State == "running");

    public long ContainersSize => Containers.Sum(c => c.Size);

    /// <summary>What removing the containers that do not run would free.</summary>
    public long ContainersReclaimable => Containers.Where(c => c.State != "running").Sum(c => c.Size);

    /// <summary>Build cache records, cache mounts, downloads and clones.</summary>
    public int BuildCacheCount => BuildCache.Count + CacheMounts.Count + Sources.Count;

    /// <summary>
    /// Records sharing their layer with an image (removing them frees nothing) and cache mounts,
    /// downloads and clones a running build holds.
    /// </summary>
    public int BuildCacheActive => BuildCache.Count(e => e.Shared) + CacheMounts.Count(m => m.InUse) + Sources.Count(s => s.InUse);

    /// <summary>The bytes only the cache holds, its directories included.</summary>
    public long BuildCacheTotalBytes => BuildCacheSize + CacheDirectoryBytes;

    /// <summary>The part of <see cref="BuildCacheTotalBytes"/> that <c>builder prune --all</c> can free now.</summary>
    public long BuildCacheReclaimable => BuildCacheSize + CacheMounts.Where(m => !m.InUse).Sum(m => m.Size) + Sources.Where(s => !s.InUse).Sum(s => s.Size);
}
