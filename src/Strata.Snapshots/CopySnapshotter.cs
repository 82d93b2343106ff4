using System.Runtime.CompilerServices;
using Strata.Core;
using Strata.Snapshots.Files;
using Strata.Snapshots.Metadata;

namespace Strata.Snapshots;

/// <summary>
/// The fallback when overlayfs is not available (containerd's "native" snapshotter): every
/// snapshot's <c>fs/</c> is a full tree. Prepare copies the parent's whole tree (owners, modes,
/// xattrs, hard links, devices; see <c>TreeCopier</c>), which costs time and space proportional
/// to the image, not to the change. Active snapshots mount as a read-write bind of their own
/// tree; a view binds the parent's committed tree read-only without copying, which is safe
/// because committed trees never change. The copy runs under the root's lock, so a big prepare
/// delays other metadata changes in the same root.
/// </summary>
public sealed class CopySnapshotter : ISnapshotter
{
    private readonly SnapshotStore _store;

    /// <summary>A snapshotter over <paramref name="root"/> (created if missing).</summary>
    public CopySnapshotter(string root, SnapshotterOptions? options = null) =>
        _store = new SnapshotStore(root, options ?? SnapshotterOptions.Default);

    public string Name => "copy";

    public bool UpperDirectoryIsDiff => false;

    public async Task<IReadOnlyList<MountSpec>> PrepareAsync(string key, string? parent, CancellationToken cancellationToken)
    {
        var (record, chain) = await Task.Run(() => _store.CreateAsync(key, parent, SnapshotKind.Active, (dir, chain) =>
        {
            string fs = Path.Combine(dir, "fs");
            Directory.CreateDirectory(fs);
            if (chain.Count > 0) TreeCopier.Copy(Path.Combine(_store.DirectoryOf(chain[0]), "fs"), fs, cancellationToken);
        }, cancellationToken), cancellationToken).ConfigureAwait(false);
        return MountsOf(record, chain);
    }

    public async Task<IReadOnlyList<MountSpec>> ViewAsync(string key, string? parent, CancellationToken cancellationToken)
    {
        var (record, chain) = await _store.CreateAsync(key, parent, SnapshotKind.View,
            (dir, _) => Directory.CreateDirectory(Path.Combine(dir, "fs")), cancellationToken).ConfigureAwait(false);
        return MountsOf(record, chain);
    }

    public Task<IReadOnlyList<MountSpec>> MountsAsync(string key, CancellationToken cancellationToken)
    {
        var table = _store.Read();
        var record = SnapshotStore.Get(table, key);
        if (record.Kind == SnapshotKind.Committed)
            throw new FailedPreconditionException($"snapshot {key} is committed and has no mounts; create a view of it");
        return Task.FromResult(MountsOf(record, table.ChainOf(record.Parent)));
    }

    public Task CommitAsync(string name, string key, CancellationToken cancellationToken) =>
        _store.CommitAsync(name, key, cancellationToken);

    public Task RemoveAsync(string key, CancellationToken cancellationToken) => _store.RemoveAsync(key, cancellationToken);

    public Task<SnapshotInfo?> StatAsync(string key, CancellationToken cancellationToken) =>
        Task.FromResult(string.IsNullOrEmpty(key) ? null : _store.Read().Find(key)?.ToInfo());

    public async IAsyncEnumerable<SnapshotInfo> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Yield();
        foreach (var record in _store.Read().Snapshots)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return record.ToInfo();
        }
    }

    public Task<SnapshotUsage> UsageAsync(string key, CancellationToken cancellationToken)
    {
        var record = SnapshotStore.Get(_store.Read(), key);
        string fs = Path.Combine(_store.DirectoryOf(record), "fs");
        return Task.Run(() => DiskUsage.Measure(fs, cancellationToken), cancellationToken);
    }

    public string UpperDirectory(string key)
    {
        var record = SnapshotStore.Get(_store.Read(), key);
        if (record.Kind != SnapshotKind.Active)
            throw new FailedPreconditionException($"snapshot {key} is {record.Kind.ToString().ToLowerInvariant()} and has no writable directory");
        return Path.Combine(_store.DirectoryOf(record), "fs");
    }

    private IReadOnlyList<MountSpec> MountsOf(SnapshotRecord record, List<SnapshotRecord> chain)
    {
        if (record.Kind == SnapshotKind.Active)
            return [new MountSpec("bind", Path.Combine(_store.DirectoryOf(record), "fs"), ["rbind", "rw"])];
        string source = chain.Count == 0 ? Path.Combine(_store.DirectoryOf(record), "fs") : Path.Combine(_store.DirectoryOf(chain[0]), "fs");
        return [new MountSpec("bind", source, ["rbind", "ro"])];
    }
}
