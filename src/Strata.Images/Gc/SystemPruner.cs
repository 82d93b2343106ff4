using Strata.Images.Checking;
using Strata.Images.Removal;

namespace Strata.Images.Gc;

/// <summary>
/// <c>system prune</c> as one call: dangling (or, with <c>--all</c>, unused) images, then the
/// build cache as docker does (each <see cref="IStorageOwner"/> of the collector prunes its
/// part), then the collector's sweep of what nothing reaches any more (blobs, unpacked layers)
/// with the store's leftovers (scratch, what the owners' crashed or killed operations left).
/// </summary>
public static class SystemPruner
{
    public static async Task<SystemPruneReport> PruneAsync(GarbageCollector gc, SystemPruneOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(gc);
        ArgumentNullException.ThrowIfNull(options);
        var images = await ImageRemover.PruneAsync(gc, options.All, cancellationToken).ConfigureAwait(false);
        var cache = PruneReport.Empty;
        foreach (var owner in gc.Owners) cache = cache.Add(await owner.PruneAsync(options.All, cancellationToken).ConfigureAwait(false));
        var check = await StoreChecker.CheckAsync(gc, repair: true, verifyDiffIds: false, cancellationToken, keepUnreferencedYoungerThan: options.KeepRecent).ConfigureAwait(false);
        int snapshots = await gc.SweepSnapshotsAsync(options.KeepRecent, cancellationToken).ConfigureAwait(false);
        return new SystemPruneReport(images, cache, [.. check.Repairs.Where(r => !r.StartsWith("rewrote", StringComparison.Ordinal))], snapshots);
    }
}
