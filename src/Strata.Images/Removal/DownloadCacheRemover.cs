using Strata.Core.Unix;
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
        var lockPath = cache.LockFile(entry.Key);
        using var handle = Libc.OpenLockFile(lockPath, create: true);
        if (!Libc.TryFlockExclusive(handle, lockPath)) return false;
        var directory = cache.EntryDirectory(entry.Key);
        if (!Directory.Exists(directory)) return false;
        // Renamed aside first: a crash mid-delete leaves a KEY.del-* leftover (garbage for the
        // next prune), never a half-emptied entry that a build would take for a download.
        var doomed = $"{directory}{HttpCacheLayout.RemovalMarker}{Guid.NewGuid():N}";
        Directory.Move(directory, doomed);
        File.Delete(cache.UrlFile(entry.Key));
        Scratch.Delete(doomed);
        return true;
    }

    /// <summary>Deletes the <c>KEY.del-*</c> leftovers of crashed removals; returns their bytes.</summary>
    public static long RemoveLeftovers(StoreLayout layout)
    {
        long bytes = 0;
        foreach (var dir in DownloadCacheUsage.Leftovers(layout))
        {
            bytes += CacheMountUsage.SizeOf(dir);
            Scratch.Delete(dir);
        }
        return bytes;
    }
}
