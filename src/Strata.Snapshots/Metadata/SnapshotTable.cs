namespace Strata.Snapshots.Metadata;

/// <summary>The whole metadata file: snapshots in creation order and the next directory id.</summary>
internal sealed class SnapshotTable
{
    /// <summary>Format version, so a later layout can refuse or migrate an older file.</summary>
    public int Version { get; set; } = 1;

    /// <summary>Ids are never reused, so a directory left by a crash can never be mistaken for a new snapshot's.</summary>
    public long NextId { get; set; } = 1;

    public List<SnapshotRecord> Snapshots { get; set; } = [];

    public SnapshotRecord? Find(string key) => Snapshots.Find(s => s.Key == key);

    /// <summary>The committed chain from <paramref name="parent"/> down to the base, top first.</summary>
    public List<SnapshotRecord> ChainOf(string? parent)
    {
        var chain = new List<SnapshotRecord>();
        for (string? name = parent; name is not null;)
        {
            var record = Find(name) ?? throw new InvalidDataException($"snapshot metadata is corrupt: parent {name} is missing");
            chain.Add(record);
            name = record.Parent;
        }
        return chain;
    }
}
