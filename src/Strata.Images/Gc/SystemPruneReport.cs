using Strata.Images.Removal;

namespace Strata.Images.Gc;

/// <summary>What <c>system prune</c> removed: images, the owners' data (the build cache), the collector's repairs (blobs, leftovers) and snapshots.</summary>
public sealed record SystemPruneReport(RemovalReport Images, PruneReport BuildCache, IReadOnlyList<string> Repairs, int SnapshotsRemoved)
{
    /// <summary>Docker's "Total reclaimed space": the images' and the build cache's bytes.</summary>
    public long ReclaimedBytes => Images.ReclaimedBytes + BuildCache.ReclaimedBytes;
}
