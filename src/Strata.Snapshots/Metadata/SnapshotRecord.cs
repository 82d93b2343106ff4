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
    /// <summary>
    /// Label of a snapshot whose writes were not synced (an overlay mounted volatile), valued
    /// with the boot they were made in: after a reboot its data may not have reached the disk.
    /// </summary>
    public const string UnsyncedBootLabel = "strata.unsynced-boot";

    public SnapshotInfo ToInfo() => new(Key, Kind, Parent, Created, Labels.AsReadOnly());

    /// <summary>Written unsynced in a boot other than <paramref name="bootId"/>: its data may be lost.</summary>
    public bool MayHaveLostData(string bootId) => Labels is not null && Labels.TryGetValue(UnsyncedBootLabel, out var boot) && boot != bootId;

    /// <summary>Written unsynced, and not synced since (a method: the table's JSON holds only the record's fields).</summary>
    public bool WrittenUnsynced() => Labels is not null && Labels.ContainsKey(UnsyncedBootLabel);
}
