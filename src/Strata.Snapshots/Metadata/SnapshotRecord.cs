namespace Strata.Snapshots.Metadata;

/// <summary>
/// One snapshot in the metadata file. <see cref="Id"/> names its directory
/// (<c>snapshots/&lt;id&gt;</c>) and never changes, so a commit renames nothing on disk and
/// numeric ids keep overlay's lowerdir option short.
/// </summary>
internal sealed record SnapshotRecord(
    long Id,
    string Key,
    SnapshotKind Kind,
    string? Parent,
    DateTimeOffset Created,
    Dictionary<string, string> Labels)
{
    public SnapshotInfo ToInfo() => new(Key, Kind, Parent, Created, Labels.AsReadOnly());
}
