using Strata.Build.Cache.Usage;
using Strata.Core.Unix;
using Strata.Images;

namespace Strata.Build.Cache.Prune;

/// <summary>
/// How the store removes a directory that builds take a flock on (cache mounts, downloads): the
/// lock is taken exclusively without waiting and held while the directory goes, so a build
/// arriving meanwhile waits and then starts afresh. The directory is renamed aside first, so a
/// crash mid-delete leaves a marked leftover (garbage for the next prune or check), never a
/// half-emptied directory a build would take as complete. The lock file itself stays.
/// </summary>
internal static class LockedDirectoryRemoval
{
    /// <summary>False when the lock is held or the directory is already gone.</summary>
    public static bool TryRemove(string lockPath, string directory, IReadOnlyList<string> sidecarFiles, string leftoverMarker)
    {
        using var handle = Libc.OpenLockFile(lockPath, create: true);
        if (!Libc.TryFlockExclusive(handle, lockPath)) return false;
        if (!Directory.Exists(directory)) return false;
        var doomed = $"{directory}{leftoverMarker}{Guid.NewGuid():N}";
        Directory.Move(directory, doomed);
        foreach (var sidecar in sidecarFiles) File.Delete(sidecar);
        Scratch.Delete(doomed);
        return true;
    }

    /// <summary>Deletes crashed operations' leftovers; returns the bytes they held.</summary>
    public static long RemoveLeftovers(IEnumerable<string> leftovers)
    {
        long bytes = 0;
        foreach (var dir in leftovers)
        {
            bytes += CacheMountUsage.SizeOf(dir);
            Scratch.Delete(dir);
        }
        return bytes;
    }
}
