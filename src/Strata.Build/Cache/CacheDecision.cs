using Strata.Images.Metadata;

namespace Strata.Build.Cache;

/// <summary>
/// The cache planner's answer for one step: hit, miss (with the reason the progress line shows)
/// or rebase, the record and layer a hit or rebase reuses, and the stage's chain after the step.
/// </summary>
internal sealed record CacheDecision(CacheOutcome Outcome, CacheKey Key, CacheChain Next)
{
    /// <summary>Why the step missed (a miss) or why its chained key missed (a rebase); null for a hit.</summary>
    public string? Reason { get; init; }

    /// <summary>The record a hit or rebase reuses (a rebase's names the new stack's snapshot once the session stacked it).</summary>
    public CacheRecord? Record { get; init; }

    /// <summary>The reused layer; null for a step without one.</summary>
    public LayerRecord? Layer { get; init; }

    /// <summary>A hit whose layer blob is here without its snapshot: the layer is unpacked over the parent.</summary>
    public bool Unpack { get; init; }

    /// <summary>A missed --link step's parent-independent key: its result is recorded under it too.</summary>
    public CacheKey? LinkKey { get; init; }

    /// <summary>Whether the step's result is reused (hit or rebase), so a filesystem step does not run.</summary>
    public bool Reused => Outcome != CacheOutcome.Miss;
}
