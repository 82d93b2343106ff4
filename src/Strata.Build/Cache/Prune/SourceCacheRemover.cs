using Strata.Build.Cache.Sources;
using Strata.Build.Cache.Usage;

namespace Strata.Build.Cache.Prune;

/// <summary>
/// Removes build sources' cache entries (downloads, git clones) no build holds. The entry's lock
/// is taken exclusively without waiting and kept while its directory goes, so a build fetching
/// the URL meanwhile waits and then fetches it afresh. <c>KEY.lock</c> itself stays (an empty
/// file): deleting a lock file another process has open would let two processes hold "the" lock.
/// </summary>
public static class SourceCacheRemover
{
    /// <summary>Removes <paramref name="entry"/> unless a build holds it; false when busy (or already gone).</summary>
    public static bool TryRemove(SourceCacheEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var cache = entry.Cache;
        return LockedDirectoryRemoval.TryRemove(cache.LockFile(entry.Key), cache.EntryDirectory(entry.Key), [cache.UrlFile(entry.Key)], SourceCacheLayout.RemovalMarker);
    }

    /// <summary>Deletes the <c>KEY.del-*</c> leftovers of crashed removals under <paramref name="cache"/>; returns their bytes.</summary>
    public static long RemoveLeftovers(SourceCacheLayout cache) => LockedDirectoryRemoval.RemoveLeftovers(SourceCacheUsage.Leftovers(cache));
}
