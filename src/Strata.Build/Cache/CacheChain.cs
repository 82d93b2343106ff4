namespace Strata.Build.Cache;

/// <summary>
/// Where a stage's cache chain stands, carried by the stage's state from step to step: the key
/// the next step chains from (after the last step: the stage's own key, which stages built FROM
/// it chain on), what the stage starts from, and what already ran or was rebased. Each step
/// makes a new chain (<see cref="CachePlanner"/>); nothing here changes in place.
/// </summary>
internal sealed record CacheChain(CacheKey Key, string Base)
{
    /// <summary>The number of steps already keyed in this stage (the next step is <c>Step + 1</c>).</summary>
    public int Step { get; init; }

    /// <summary>The first step of the stage that ran; every later step misses with "parent step N rebuilt".</summary>
    public int? FirstRebuilt { get; init; }

    /// <summary>Why every step of the stage misses because of what it starts from (a base stage or context that rebuilt), or null.</summary>
    public string? BaseRebuilt { get; init; }

    /// <summary>The first --link step whose layer was rebased onto a new parent, and why its chained key missed.</summary>
    public RebasedStep? Rebased { get; init; }

    /// <summary>Whether any step of the stage (or of what it starts from) ran.</summary>
    public bool Rebuilt => FirstRebuilt is not null || BaseRebuilt is not null;
}
