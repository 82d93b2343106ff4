using Strata.Build.Cache.Usage;
using Strata.Images;

namespace Strata.Build.Cache.Prune;

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
        return LockedDirectoryRemoval.TryRemove(lockPath, entry.Path, [entry.Path + ".id", entry.Path + CacheMountUsage.UsesSuffix], CacheMountUsage.StagingMarker);
    }

    /// <summary>Deletes the <c>*.new-*</c> leftovers of crashed creations; returns their bytes.</summary>
    public static long RemoveLeftovers(StoreLayout layout) => LockedDirectoryRemoval.RemoveLeftovers(CacheMountUsage.Leftovers(layout));
}
