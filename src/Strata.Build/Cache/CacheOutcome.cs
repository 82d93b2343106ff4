namespace Strata.Build.Cache;

/// <summary>What the cache planner decided for a step.</summary>
internal enum CacheOutcome
{
    /// <summary>The step's key has a usable record: its layer and history are reused.</summary>
    Hit,

    /// <summary>The step runs; the decision says why.</summary>
    Miss,

    /// <summary>A --link step whose chained key missed reuses the layer found by its parent-independent key on this parent.</summary>
    Rebase,
}
