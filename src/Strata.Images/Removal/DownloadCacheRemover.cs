using Strata.Images.Views;

namespace Strata.Images.Removal;

/// <summary>
/// Removes <c>ADD &lt;url&gt;</c> downloads no build holds. The entry's lock is taken
/// exclusively without waiting and kept while its directory goes, so a build fetching the URL
/// meanwhile waits and then downloads it afresh. <c>KEY.lock</c> itself stays (an empty file):
/// deleting a lock file another process has open would let two processes hold "the" lock.
/// </summary>
public static class DownloadCacheRemover
{
    /// <summary>Removes <paramref name="entry"/> unless a build holds it; false when busy (or already gone).</summary>
    public static bool TryRemove(StoreLayout layout, DownloadCacheEntry entry)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(entry);
        var cache = layout.HttpCache;
        return LockedDirectoryRemoval.TryRemove(cache.LockFile(entry.Key), cache.EntryDirectory(entry.Key), cache.UrlFile(entry.Key), HttpCacheLayout.RemovalMarker);
    }

    /// <summary>Deletes the <c>KEY.del-*</c> leftovers of crashed removals; returns their bytes.</summary>
    public static long RemoveLeftovers(StoreLayout layout) => LockedDirectoryRemoval.RemoveLeftovers(DownloadCacheUsage.Leftovers(layout));
}
