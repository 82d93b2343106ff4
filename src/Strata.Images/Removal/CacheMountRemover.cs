using Strata.Core.Unix;
using Strata.Images.Views;

namespace Strata.Images.Removal;

/// <summary>
/// Removes cache mount instances that no step holds. The instance's lock is taken exclusively
/// without waiting and kept while its directory goes, so a build starting meanwhile waits and
/// then creates a fresh, empty instance. <c>NAME.lock</c> itself stays (an empty file): deleting
/// a lock file another process has open would let two processes hold "the" lock at once.
/// </summary>
public static class CacheMountRemover
{
    /// <summary>Removes <paramref name="entry"/> unless a step holds it; false when busy.</summary>
    public static bool TryRemove(StoreLayout layout, CacheMountEntry entry)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(entry);
        var lockPath = Path.Combine(layout.CacheMounts, entry.Name + ".lock");
        using var handle = Libc.OpenLockFile(lockPath, create: true);
        if (!Libc.TryFlockExclusive(handle, lockPath)) return false;
        if (!Directory.Exists(entry.Path)) return false;
        // Renamed out of the way first: a crash mid-delete leaves a *.new-* leftover (garbage
        // for prune and check), never a half-emptied cache that the next build would mount.
        var doomed = $"{entry.Path}{CacheMountUsage.StagingMarker}{Guid.NewGuid():N}";
        Directory.Move(entry.Path, doomed);
        File.Delete(entry.Path + ".id");
        Scratch.Delete(doomed);
        return true;
    }

    /// <summary>Deletes the <c>*.new-*</c> leftovers of crashed creations; returns their bytes.</summary>
    public static long RemoveLeftovers(StoreLayout layout)
    {
        long bytes = 0;
        foreach (var dir in CacheMountUsage.Leftovers(layout))
        {
            bytes += CacheMountUsage.SizeOf(dir);
            Scratch.Delete(dir);
        }
        return bytes;
    }
}
