using System.Runtime.CompilerServices;
using Strata.Core;
using Strata.Snapshots.Files;
using Strata.Snapshots.Metadata;

namespace Strata.Snapshots;

/// <summary>
/// What the overlay and copying snapshotters share: metadata in a <see cref="SnapshotStore"/>
/// (flock-guarded, one <c>fs/</c> directory per snapshot), so listing, stat, removal, usage and
/// the upper directory are the same; they differ in how a snapshot is made and mounted.
/// </summary>
public abstract class StoreBackedSnapshotter : ISnapshotter
{
    private protected StoreBackedSnapshotter(string root, SnapshotterOptions? options) =>
        Store = new SnapshotStore(root, options ?? SnapshotterOptions.Default);

    private protected SnapshotStore Store { get; }

    public abstract string Name { get; }

    public abstract bool UpperDirectoryIsDiff { get; }

    public abstract Task<IReadOnlyList<MountSpec>> PrepareAsync(string key, string? parent, CancellationToken cancellationToken);

    public virtual Task<IReadOnlyList<MountSpec>> PrepareUnsyncedAsync(string key, string? parent, CancellationToken cancellationToken) =>
        PrepareAsync(key, parent, cancellationToken);

    public abstract Task<IReadOnlyList<MountSpec>> ViewAsync(string key, string? parent, CancellationToken cancellationToken);

    public abstract Task CommitAsync(string name, string key, CancellationToken cancellationToken);

    /// <summary>The mounts of <paramref name="record"/> over its committed <paramref name="chain"/> (nearest parent first).</summary>
    private protected abstract IReadOnlyList<MountSpec> MountsOf(SnapshotRecord record, List<SnapshotRecord> chain);

    public Task<IReadOnlyList<MountSpec>> MountsAsync(string key, CancellationToken cancellationToken)
    {
        var table = Store.Read();
        var record = SnapshotStore.Get(table, key);
        if (record.Kind == SnapshotKind.Committed)
            throw new FailedPreconditionException($"snapshot {key} is committed and has no mounts; create a view of it");
        return Task.FromResult(MountsOf(record, table.ChainOf(record.Parent)));
    }

    public Task RemoveAsync(string key, CancellationToken cancellationToken) => Store.RemoveAsync(key, cancellationToken);

    public Task<SnapshotInfo?> StatAsync(string key, CancellationToken cancellationToken) =>
        Task.FromResult(string.IsNullOrEmpty(key) ? null : Store.Read().Find(key)?.ToInfo());

    public async IAsyncEnumerable<SnapshotInfo> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Yield();
        foreach (var record in Store.Read().Snapshots)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return record.ToInfo();
        }
    }

    public Task<SnapshotUsage> UsageAsync(string key, CancellationToken cancellationToken)
    {
        var record = SnapshotStore.Get(Store.Read(), key);
        string fs = Path.Combine(Store.DirectoryOf(record), "fs");
        return Task.Run(() => DiskUsage.Measure(fs, cancellationToken), cancellationToken);
    }

    public virtual string UpperDirectory(string key)
    {
        var record = SnapshotStore.Get(Store.Read(), key);
        if (record.Kind != SnapshotKind.Active)
            throw new FailedPreconditionException($"snapshot {key} is {record.Kind.ToString().ToLowerInvariant()} and has no writable directory");
        return Path.Combine(Store.DirectoryOf(record), "fs");
    }
}
