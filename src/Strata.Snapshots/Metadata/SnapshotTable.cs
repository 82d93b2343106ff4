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

    /// <summary>
    /// Takes out the snapshots written unsynced in another boot than <paramref name="bootId"/>
    /// and every snapshot on top of them: a crash may have lost their data, so they are made
    /// again from their layers. Their directories, no longer owned, go at the next write's
    /// sweep. Snapshots are in creation order, so a parent always comes before its children.
    /// </summary>
    public void RemoveLost(string bootId)
    {
        if (!Snapshots.Exists(s => s.MayHaveLostData(bootId))) return;
        var lost = new HashSet<string>(StringComparer.Ordinal);
        foreach (var record in Snapshots)
        {
            if (record.MayHaveLostData(bootId) || (record.Parent is { } parent && lost.Contains(parent)))
                lost.Add(record.Key);
        }
        Snapshots.RemoveAll(s => lost.Contains(s.Key));
    }

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
