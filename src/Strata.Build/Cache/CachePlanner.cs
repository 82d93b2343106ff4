namespace Strata.Build.Cache;

/// <summary>
/// Decides a step's cache outcome from facts alone (no store, no clock, no disk): hit, miss with
/// the one reason the progress line shows, or rebase of a --link layer. The order of the rules
/// is the contract: <c>--no-cache</c>, then <c>--no-cache-filter</c>, then a rebuilt base or
/// earlier step (nothing is looked up), then the key's record, then the previous build's inputs
/// to name what changed; a --link step that would miss is rebased when its own key has a record.
/// </summary>
internal static class CachePlanner
{
    /// <summary>Whether the step's key is looked up at all (no flag and nothing before it forces a miss).</summary>
    public static bool LooksUp(CacheFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        return ForcedReason(facts) is null;
    }

    /// <summary>Whether the --link key is looked up: the step has one, the chained key found nothing usable, and no flag bypasses the cache.</summary>
    public static bool TriesRebase(CacheFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        return facts.LinkKey is not null && !Bypassed(facts) && facts.Found?.Record is null;
    }

    public static CacheDecision Decide(CacheFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var chain = facts.Chain;
        int step = chain.Step + 1;
        var next = chain with { Key = facts.Key, Step = step };
        if (ForcedReason(facts) is not { } reason)
        {
            if (facts.Found is { Record: not null } hit)
                return new CacheDecision(CacheOutcome.Hit, facts.Key, next) { Record = hit.Record, Layer = hit.Layer, Unpack = hit.Unpack };
            reason = MissReason(facts);
        }
        if (facts.LinkFound is { Record: not null } linked && TriesRebase(facts))
        {
            return new CacheDecision(CacheOutcome.Rebase, facts.Key, next with { Rebased = chain.Rebased ?? new RebasedStep(step, reason) })
            {
                Reason = reason,
                Record = linked.Record,
                Layer = linked.Layer,
            };
        }
        return new CacheDecision(CacheOutcome.Miss, facts.Key, next with { FirstRebuilt = chain.FirstRebuilt ?? step })
        {
            Reason = reason,
            LinkKey = facts.LinkKey,
        };
    }

    /// <summary>--no-cache and --no-cache-filter: the step runs and no record is looked up, not even its --link key.</summary>
    private static bool Bypassed(CacheFacts facts) => facts.NoCache || facts.NoCacheFilter is not null;

    /// <summary>The reason a step misses before any lookup, or null when its key is looked up.</summary>
    private static string? ForcedReason(CacheFacts facts)
    {
        if (facts.NoCache) return "--no-cache";
        if (facts.NoCacheFilter is { } filter) return "--no-cache-filter " + filter;
        var chain = facts.Chain;
        if (chain.BaseRebuilt is null && chain.FirstRebuilt is null) return null;
        return !facts.HasPrevious ? facts.OtherBase ?? "no previous build" : chain.BaseRebuilt ?? $"parent step {facts.NameOf(chain.FirstRebuilt!.Value)} rebuilt";
    }

    /// <summary>Why a looked-up key found nothing usable: what differs from the previous build's same step, else why the record could not be used.</summary>
    private static string MissReason(CacheFacts facts)
    {
        var previous = facts.Previous;
        var why = facts.Found?.Why;
        var reason = previous is null && facts.HasPrevious
            ? (facts.HadSlot ? why ?? "the previous build's inputs for this step were not recorded" : "new step")
            : previous is null && facts.OtherBase is { } other ? other
            : MissExplainer.Reason(previous, facts.Inputs) ?? why ?? "no cache record for this step";
        // After a rebased --link step, what changed for the steps on it is that parent.
        if (facts.Chain.Rebased is { } rebased && previous is not null && MissExplainer.ParentChanged(previous, facts.Inputs))
            reason = MissExplainer.ParentRebased(facts.NameOf(rebased.Step), rebased.Why);
        return reason;
    }
}
