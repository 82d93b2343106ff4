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
public sealed class CopySnapshotter : StoreBackedSnapshotter
{
    /// <summary>A snapshotter over <paramref name="root"/> (created if missing).</summary>
    public CopySnapshotter(string root, SnapshotterOptions? options = null)
        : base(root, options)
    {
    }

    public override string Name => "copy";

    public override bool UpperDirectoryIsDiff => false;

    public override async Task<IReadOnlyList<MountSpec>> PrepareAsync(string key, string? parent, CancellationToken cancellationToken)
    {
        var (record, chain) = await Task.Run(() => Store.CreateAsync(key, parent, SnapshotKind.Active, (dir, chain) =>
        {
            string fs = Path.Combine(dir, "fs");
            Directory.CreateDirectory(fs);
            if (chain.Count > 0) TreeCopier.Copy(Path.Combine(Store.DirectoryOf(chain[0]), "fs"), fs, cancellationToken);
        }, cancellationToken), cancellationToken).ConfigureAwait(false);
        return MountsOf(record, chain);
    }

    public override async Task<IReadOnlyList<MountSpec>> ViewAsync(string key, string? parent, CancellationToken cancellationToken)
    {
        var (record, chain) = await Store.CreateAsync(key, parent, SnapshotKind.View,
            (dir, _) => Directory.CreateDirectory(Path.Combine(dir, "fs")), cancellationToken).ConfigureAwait(false);
        return MountsOf(record, chain);
    }

    public override Task CommitAsync(string name, string key, CancellationToken cancellationToken) =>
        Store.CommitAsync(name, key, cancellationToken);

    private protected override IReadOnlyList<MountSpec> MountsOf(SnapshotRecord record, List<SnapshotRecord> chain)
    {
        if (record.Kind == SnapshotKind.Active)
            return [new MountSpec("bind", Path.Combine(Store.DirectoryOf(record), "fs"), ["rbind", "rw"])];
        string source = chain.Count == 0 ? Path.Combine(Store.DirectoryOf(record), "fs") : Path.Combine(Store.DirectoryOf(chain[0]), "fs");
        return [new MountSpec("bind", source, ["rbind", "ro"])];
    }
}
