namespace Strata.Images.Removal;

/// <summary>What a removal did, in docker's words: names untagged, images and layers deleted, bytes freed.</summary>
public sealed record RemovalReport(IReadOnlyList<string> Untagged, IReadOnlyList<string> Deleted, long ReclaimedBytes)
{
    public static RemovalReport Empty { get; } = new([], [], 0);

    public RemovalReport Add(RemovalReport other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new([.. Untagged, .. other.Untagged], [.. Deleted, .. other.Deleted], ReclaimedBytes + other.ReclaimedBytes);
    }
}
