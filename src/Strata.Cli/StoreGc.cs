using Strata.Build.Cache;
using Strata.Build.Secrets;
using Strata.Containers;
using Strata.Rootfs;
using Strata.Images;
using Strata.Images.Gc;

namespace Strata.Cli;

/// <summary>
/// The composition of the store's collector: the owners above Images register what they hold
/// (the build cache, containers), the build cache and the builds' secret directories register
/// their own data for system prune and check, and the snapshotter's owner sweeps unpacked
/// layers (only when builds or containers ever made any).
/// </summary>
internal static class StoreGc
{
    public static GarbageCollector For(ImageStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        ISnapshotOwner? snapshots = Directory.Exists(store.Layout.Snapshotter)
            ? new SnapshotCollector(SnapshotWorkspace.Open(store, GlobalOptions.Snapshotter).Snapshotter)
            : null;
        return new GarbageCollector(store, [new BuildCacheReferences(store), new ContainerReferences(store)], snapshots, [new BuildCacheOwner(store), new SecretDirectoryOwner(store)]);
    }
}
