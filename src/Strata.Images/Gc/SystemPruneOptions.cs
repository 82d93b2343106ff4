namespace Strata.Images.Gc;

/// <summary>What <c>system prune</c> removes.</summary>
public sealed record SystemPruneOptions
{
    /// <summary><c>--all</c>: every image no container uses and all build cache, not just dangling ones.</summary>
    public bool All { get; init; }

    /// <summary>
    /// Unreferenced blobs and active snapshots younger than this stay (default one hour): a
    /// build or load in another process that holds no lease yet may be about to name them.
    /// </summary>
    public TimeSpan KeepRecent { get; init; } = TimeSpan.FromHours(1);
}
