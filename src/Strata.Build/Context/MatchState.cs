namespace Strata.Build.Context;

/// <summary>Per-pattern results for a directory, handed to its children during a walk.</summary>
public sealed record MatchState(IReadOnlyList<bool> Results)
{
    public static MatchState None { get; } = new(Array.Empty<bool>());
}
