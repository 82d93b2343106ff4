namespace Strata.Images.Views;

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
}

/// <summary>One image's sizes: <see cref="SharedSize"/> is held by layers other images use too.</summary>
public sealed record ImageUsage(string Id, string Repository, string Tag, DateTimeOffset? Created, long Size, long SharedSize, long UniqueSize, int Containers);

/// <summary>One container's size in <c>system df -v</c>.</summary>
public sealed record ContainerUsage(string Id, string Image, string Name, DateTimeOffset Created, string State, long Size);
