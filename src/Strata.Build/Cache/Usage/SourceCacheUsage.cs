using Strata.Build.Cache.Sources;
using Strata.Core.Unix;

namespace Strata.Build.Cache.Usage;

/// <summary>
/// Reads the entries a build source keeps in the store (<see cref="SourceCacheLayout"/>: the
/// <c>ADD &lt;url&gt;</c> downloads, the <c>ADD &lt;git repository&gt;</c> clones). A build holds
/// an entry's exclusive flock while it fetches into or reads from it, so an entry is in use
/// exactly when that flock cannot be taken; the kernel drops it when the build dies.
/// </summary>
public static class SourceCacheUsage
{
    /// <summary>Every entry of <paramref name="cache"/> (not removal leftovers), least recently used first.</summary>
    public static IReadOnlyList<SourceCacheEntry> List(SourceCacheLayout cache)
    {
        ArgumentNullException.ThrowIfNull(cache);
        if (!Directory.Exists(cache.Root)) return [];
        var entries = new List<SourceCacheEntry>();
        foreach (var dir in Directory.EnumerateDirectories(cache.Root))
        {
            var key = Path.GetFileName(dir);
            if (!SourceCacheLayout.IsKey(key)) continue;
            var urlFile = cache.UrlFile(key);
            // Entries made before KEY.url existed: the URL is unknown, the directory's mtime the last use.
            var url = File.Exists(urlFile) ? File.ReadAllText(urlFile) : "";
            var lastUsed = new DateTimeOffset(File.Exists(urlFile) ? File.GetLastWriteTimeUtc(urlFile) : Directory.GetLastWriteTimeUtc(dir), TimeSpan.Zero);
            var created = new DateTimeOffset(Directory.GetCreationTimeUtc(dir), TimeSpan.Zero);
            entries.Add(new SourceCacheEntry(cache, key, url, dir, CacheMountUsage.SizeOf(dir), created, lastUsed, IsBusy(cache, key)));
        }
        return [.. entries.OrderBy(e => e.LastUsed).ThenBy(e => e.Key, StringComparer.Ordinal)];
    }

    /// <summary>
    /// Directories a removal renamed aside and did not finish deleting (<c>KEY.del-*</c>) whose
    /// lock is free, so no prune is deleting them right now. No build ever uses such a directory.
    /// </summary>
    public static IReadOnlyList<string> Leftovers(SourceCacheLayout cache)
    {
        ArgumentNullException.ThrowIfNull(cache);
        if (!Directory.Exists(cache.Root)) return [];
        var leftovers = new List<string>();
        foreach (var dir in Directory.EnumerateDirectories(cache.Root))
        {
            var name = Path.GetFileName(dir);
            int marker = name.IndexOf(SourceCacheLayout.RemovalMarker, StringComparison.Ordinal);
            if (marker > 0 && !IsBusy(cache, name[..marker])) leftovers.Add(dir);
        }
        return leftovers;
    }

    /// <summary>
    /// True while a build (or a prune) holds the entry's lock. A missing lock file: nobody ever
    /// took it. The probe holds the lock for an instant: a build starting then waits one poll.
    /// </summary>
    internal static bool IsBusy(SourceCacheLayout cache, string key)
    {
        var lockPath = cache.LockFile(key);
        if (!File.Exists(lockPath)) return false;
        using var handle = Libc.OpenLockFile(lockPath, create: false);
        return !Libc.TryFlockExclusive(handle, lockPath);
    }
}
