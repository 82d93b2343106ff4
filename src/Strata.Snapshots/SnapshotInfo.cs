namespace Strata.Snapshots;

/// <summary>
/// What a snapshotter knows about one snapshot. <paramref name="Key"/> is the active or view
/// key, or the committed name; <paramref name="Parent"/> is the name of the committed parent
/// (null for a snapshot on the empty tree).
/// </summary>
public sealed record SnapshotInfo(
    string Key,
    SnapshotKind Kind,
    string? Parent,
    DateTimeOffset Created,
    IReadOnlyDictionary<string, string> Labels);
