namespace Strata.Build.Cache;

/// <summary>How a build uses its cache. The default reuses every valid record and explains misses in one line.</summary>
public sealed record BuildCacheOptions
{
    public static BuildCacheOptions Default { get; } = new();

    /// <summary>Run every step (records are still written for the next build). Default false.</summary>
    public bool NoCache { get; init; }

    /// <summary>Report each miss's full input diff, not just its first reason. Default false.</summary>
    public bool Explain { get; init; }
}
