namespace Strata.Build.Cache.Usage;

/// <summary>
/// One RUN --mount=type=cache instance as <c>system df</c> and <c>builder prune</c> see it
/// (BuildKit's <c>exec.cachemount</c> records). <see cref="Name"/> is its directory name under
/// <c>&lt;store&gt;/cache/mounts/</c>; <see cref="LastUsed"/> the time a step last took it
/// (the mtime of <c>NAME.id</c>); <see cref="InUse"/> while a running step holds its lock.
/// </summary>
public sealed record CacheMountEntry(string Name, string Id, string Path, long Size, DateTimeOffset CreatedAt, DateTimeOffset LastUsed, bool InUse)
{
    /// <summary>How many RUN steps took the instance (BuildKit's usage count; 0 for one only restored by --cache-from).</summary>
    public long UsageCount { get; init; }
}
