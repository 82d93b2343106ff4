namespace Strata.Build.Cache;

/// <summary>
/// Everything the <see cref="CachePlanner"/> decides a step on. The session fills in the
/// lookups only as far as the planner asks (<see cref="CachePlanner.LooksUp"/>,
/// <see cref="CachePlanner.TriesRebase"/>): a lookup leases a layer and marks a record used,
/// so a step that misses for --no-cache or a rebuilt parent looks nothing up.
/// </summary>
internal sealed record CacheFacts
{
    /// <summary>How the progress shows the stage's step with a chain number (its label); null: the number.</summary>
    public Func<int, string>? StepName { get; init; }

    /// <summary>The step with chain number <paramref name="step"/> as miss reasons name it.</summary>
    public string NameOf(int step) => StepName?.Invoke(step) ?? step.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The stage's chain before this step.</summary>
    public required CacheChain Chain { get; init; }

    /// <summary>The step's chained key (<see cref="StepInputs.Key"/>).</summary>
    public required CacheKey Key { get; init; }

    public required StepInputs Inputs { get; init; }

    /// <summary>A --link step's parent-independent key; null for other steps.</summary>
    public CacheKey? LinkKey { get; init; }

    /// <summary><c>--no-cache</c>.</summary>
    public bool NoCache { get; init; }

    /// <summary>The <c>--no-cache-filter</c> entry naming this stage, or null.</summary>
    public string? NoCacheFilter { get; init; }

    /// <summary>Whether a build of this Dockerfile and target recorded its steps before.</summary>
    public bool HasPrevious { get; init; }

    /// <summary>Whether the previous build had a step at this stage and step number.</summary>
    public bool HadSlot { get; init; }

    /// <summary>The lookup of <see cref="Key"/>; null when it was not looked up.</summary>
    public CacheLookup? Found { get; init; }

    /// <summary>The previous build's inputs of this step (read only after a lookup that found nothing usable).</summary>
    public StepInputs? Previous { get; init; }

    /// <summary>Why a --cache-from cache cannot hit: it holds builds of another base of this name (null: it does not).</summary>
    public string? OtherBase { get; init; }

    /// <summary>The lookup of <see cref="LinkKey"/>; null when it was not looked up.</summary>
    public CacheLookup? LinkFound { get; init; }
}
