namespace Strata.Build.Cache.Prune;

/// <summary>What <c>builder prune</c> removes (docker's flags).</summary>
public sealed record BuildCachePruneOptions
{
    /// <summary>
    /// Every record, not just dangling ones. A dangling record is one whose layer no image uses
    /// (or whose layer blob is already gone); records sharing a layer with an image, and
    /// metadata steps' records (no layer, no bytes), are kept without <c>--all</c>. Idle cache
    /// mounts, ADD &lt;url&gt; downloads and ADD &lt;git&gt; clones go either way (BuildKit prunes
    /// its exec.cachemount, http source and source.git.checkout records without --all too).
    /// </summary>
    public bool All { get; init; }

    /// <summary><c>--filter until=D</c>: only records, cache mounts, downloads and clones last used longer ago than this.</summary>
    public TimeSpan? UnusedFor { get; init; }

    /// <summary><c>--keep-storage</c>: stop once the cache's own bytes (cache mounts, downloads and clones included) are at most this (least recently used go first). 0: no budget.</summary>
    public long KeepStorage { get; init; }
}
