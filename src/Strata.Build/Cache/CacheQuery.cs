using Strata.Core;

namespace Strata.Build.Cache;

/// <summary>
/// One step asking the <see cref="CacheSession"/> for a decision: where it is (slot: stage and
/// step number), the stage's chain before it, its inputs, its --link key, the
/// <c>--no-cache-filter</c> entry naming its stage, and the parent stack a reused layer is
/// placed on.
/// </summary>
internal sealed record CacheQuery(string Slot, CacheChain Chain, StepInputs Inputs)
{
    public CacheKey? LinkKey { get; init; }

    public string? NoCacheFilter { get; init; }

    /// <summary>The parent's committed snapshot (null: an empty root).</summary>
    public string? ParentSnapshot { get; init; }

    public IReadOnlyList<DiffId> ParentDiffIds { get; init; } = [];

    /// <summary>How the progress shows the stage's step with a chain number (its label); null: the number.</summary>
    public Func<int, string>? StepName { get; init; }
}
