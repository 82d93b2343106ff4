using Strata.Images;
using Strata.Images.Views;

namespace Strata.Build.Cache.Usage;

/// <summary>
/// <c>system df</c>: the store's images and containers (<see cref="DiskUsage"/>) and this room's
/// build cache (records, cache mounts, downloads, clones). It spans both, so it lives in the
/// lowest room that sees both.
/// </summary>
public static class SystemDiskUsage
{
    public static async Task<DiskUsageReport> ComputeAsync(ImageStore store, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var s = await DiskUsage.ComputeAsync(store, cancellationToken).ConfigureAwait(false);
        var cache = await BuildCacheUsage.ListAsync(store, cancellationToken).ConfigureAwait(false);
        return new DiskUsageReport(s.Images, s.ImagesTotalSize, s.ImagesReclaimable, s.ActiveImages, s.Containers, BuildCacheUsage.ExclusiveBytes(cache), s.BlobBytesOnDisk)
        {
            BuildCache = cache,
            CacheMounts = CacheMountUsage.List(store.Layout),
            Sources = [.. store.Layout.SourceCaches.SelectMany(SourceCacheUsage.List)],
        };
    }
}
