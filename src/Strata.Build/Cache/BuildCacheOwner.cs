using Strata.Build.Cache.Prune;
using Strata.Build.Cache.Usage;
using Strata.Images;
using Strata.Images.Gc;

namespace Strata.Build.Cache;

/// <summary>
/// The build cache as an owner of data in the store, for the store's collector: <c>system
/// prune</c> prunes it as <c>builder prune</c> does (dangling records, or all with <c>--all</c>;
/// idle cache mounts, downloads and clones either way), and <c>system check</c> reports (and
/// <c>--repair</c> removes) what crashed cache mount creations and source cache removals left.
/// </summary>
public sealed class BuildCacheOwner : IStorageOwner
{
    private readonly ImageStore _store;

    public BuildCacheOwner(ImageStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
    }

    public Task<PruneReport> PruneAsync(bool all, CancellationToken cancellationToken) =>
        BuildCachePruner.PruneAsync(_store, new BuildCachePruneOptions { All = all }, cancellationToken);

    public IReadOnlyList<StoreLeftover> Leftovers() =>
    [
        .. CacheMountUsage.Leftovers(_store.Layout).Select(d => new StoreLeftover(d, "an unfinished cache mount")),
        .. _store.Layout.SourceCaches.SelectMany(c => SourceCacheUsage.Leftovers(c).Select(d => new StoreLeftover(d, "a half-removed " + c.EntryKind))),
    ];
}
