using Strata.Core.Unix;
using Strata.Images;

namespace Strata.Build.Cache.Usage;

/// <summary>
/// Reads the cache mount instances of a store. Every step using an instance holds a flock on
/// <c>NAME.lock</c> (shared for <c>sharing=shared</c>, exclusive for locked and private), so an
/// instance is in use exactly when an exclusive flock on it cannot be taken; the kernel drops
/// the lock when its build dies, so a killed build never leaves an instance looking busy.
/// </summary>
public static class CacheMountUsage
{
    /// <summary>What marks an instance being built (or being removed) beside its final name.</summary>
    public const string StagingMarker = ".new-";

    /// <summary>The file beside an instance counting its uses, one byte each.</summary>
    public const string UsesSuffix = ".uses";

    /// <summary>Every instance (not the <c>*.new-*</c> leftovers), least recently used first.</summary>
    public static IReadOnlyList<CacheMountEntry> List(StoreLayout layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        var root = layout.CacheMounts;
        if (!Directory.Exists(root)) return [];
        var entries = new List<CacheMountEntry>();
        foreach (var dir in Directory.EnumerateDirectories(root))
        {
            var name = Path.GetFileName(dir);
            if (name.Contains(StagingMarker, StringComparison.Ordinal)) continue;
            var idFile = dir + ".id";
            var id = File.Exists(idFile) ? File.ReadAllText(idFile) : name;
            var lastUsed = new DateTimeOffset(File.Exists(idFile) ? File.GetLastWriteTimeUtc(idFile) : Directory.GetLastWriteTimeUtc(dir), TimeSpan.Zero);
            var created = new DateTimeOffset(Directory.GetCreationTimeUtc(dir), TimeSpan.Zero);
            var uses = new FileInfo(dir + UsesSuffix);
            entries.Add(new CacheMountEntry(name, id, dir, SizeOf(dir), created, lastUsed, IsBusy(root, name)) { UsageCount = uses.Exists ? uses.Length : 0 });
        }
        return [.. entries.OrderBy(e => e.LastUsed).ThenBy(e => e.Name, StringComparer.Ordinal)];
    }

    /// <summary>
    /// Directories left by a creation (or a removal) that crashed: <c>NAME.new-*</c> whose
    /// instance lock is free, so no running step is still filling it.
    /// </summary>
    public static IReadOnlyList<string> Leftovers(StoreLayout layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        var root = layout.CacheMounts;
        if (!Directory.Exists(root)) return [];
        var leftovers = new List<string>();
        foreach (var dir in Directory.EnumerateDirectories(root))
        {
            var name = Path.GetFileName(dir);
            int marker = name.IndexOf(StagingMarker, StringComparison.Ordinal);
            if (marker > 0 && !IsBusy(root, name[..marker])) leftovers.Add(dir);
        }
        return leftovers;
    }

    /// <summary>Bytes of the regular files under <paramref name="directory"/> (links are not followed).</summary>
    public static long SizeOf(string directory)
    {
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = true };
        long total = 0;
        foreach (var file in new DirectoryInfo(directory).EnumerateFiles("*", options))
            if (!file.Attributes.HasFlag(FileAttributes.ReparsePoint)) total += file.Length;
        return total;
    }

    /// <summary>
    /// True while a step holds the instance's lock. A missing lock file: nobody ever took it.
    /// The probe holds the exclusive lock for an instant: a shared or locked step starting then
    /// waits one poll; a private one takes the next instance (<c>NAME.p1</c>), which is harmless.
    /// </summary>
    internal static bool IsBusy(string root, string instance)
    {
        var lockPath = Path.Combine(root, instance + ".lock");
        if (!File.Exists(lockPath)) return false;
        using var handle = Libc.OpenLockFile(lockPath, create: false);
        return !Libc.TryFlockExclusive(handle, lockPath);
    }
}
