namespace Strata.Images.Gc;

/// <summary>What an owner's prune removed: the IDs it prints, and the bytes its freed blobs and directories held.</summary>
public sealed record PruneReport(IReadOnlyList<string> Deleted, long ReclaimedBytes)
{
    public static PruneReport Empty { get; } = new([], 0);

    /// <summary>Both reports together (this one's IDs first).</summary>
    public PruneReport Add(PruneReport other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new PruneReport([.. Deleted, .. other.Deleted], ReclaimedBytes + other.ReclaimedBytes);
    }
}
