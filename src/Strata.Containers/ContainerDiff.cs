using System.Text;
using Strata.Archive;
using Strata.Core.Unix;

namespace Strata.Containers;

/// <summary>
/// <c>docker diff</c> over an overlay upper directory. docker (20.10, overlay2) compares the
/// container's whole root with its image's (moby <c>pkg/archive</c> <c>ChangesDirs</c>); only
/// directories present in the upper directory can differ, so only those are compared here:
/// <list type="bullet">
/// <item>an entry the lower root lacks is <c>A</c>, and so is everything below it;</item>
/// <item>an entry in both is <c>C</c> when mode, owner or device differ, or (not for
/// directories) size or mtime, or its file capabilities; a file copied up unchanged is not a
/// change;</item>
/// <item>a whiteout of a lower entry is <c>D</c> (a deleted directory is one line); in an opaque
/// directory, lower entries it does not hold again are <c>D</c>;</item>
/// <item>a directory holding any change is <c>C</c>, listed before its changes;</item>
/// <item>what the runtime creates for its mounts where the image lacks it (<c>/dev</c>,
/// <c>/proc</c>, <c>/sys</c>, <c>/etc</c> and the empty <c>/etc/hosts</c>, <c>/etc/hostname</c>,
/// <c>/etc/resolv.conf</c> it binds over) is not a change: docker creates the same paths in the
/// container's init layer, below the layer it diffs, so they never show; a new entry inside one
/// of those directories still does, under a <c>C</c> line for the directory.</item>
/// </list>
/// docker lists siblings in Go map order (random from call to call); here they come in byte order
/// of their names, depth first, so the output is stable.
/// </summary>
public static class ContainerDiff
{
    private const string CapabilityXattr = "security.capability";

    // docker's init layer (moby daemon/initlayer): directories and files the runtime mounts over.
    private static readonly HashSet<string> RuntimeDirectories = new(StringComparer.Ordinal) { "/dev", "/dev/pts", "/dev/shm", "/proc", "/sys", "/etc" };
    private static readonly HashSet<string> RuntimeFiles = new(StringComparer.Ordinal) { "/etc/hosts", "/etc/hostname", "/etc/resolv.conf", "/.dockerenv", "/dev/console" };

    /// <summary>Changes of <paramref name="upperDirectory"/> against the read-only root <paramref name="lowerRoot"/> (null: empty).</summary>
    public static List<ContainerChange> Compute(string upperDirectory, string? lowerRoot)
    {
        ArgumentNullException.ThrowIfNull(upperDirectory);
        var changes = new List<ContainerChange>();
        CompareDirectory(upperDirectory, lowerRoot, "", replaced: false, changes);
        return changes;
    }

    /// <param name="replaced">The upper directory hides the lower one's entries (opaque, or the lower entry is not a directory).</param>
    private static void CompareDirectory(string upper, string? lower, string relative, bool replaced, List<ContainerChange> changes)
    {
        var names = new SortedSet<string>(Names(upper), ByteOrder.Instance);
        var upperNames = new HashSet<string>(names, StringComparer.Ordinal);
        if (replaced && lower is not null)
            foreach (var name in Names(lower)) names.Add(name);
        foreach (var name in names)
        {
            var path = relative + "/" + name;
            if (!upperNames.Contains(name))
            {
                changes.Add(new ContainerChange(ChangeKind.Deleted, path, 0));
                continue;
            }
            var full = Path.Combine(upper, name);
            var status = Libc.Lstat(full);
            FileStatus lowerStatus = default;
            bool inLower = lower is not null && Libc.TryLstat(Path.Combine(lower, name), out lowerStatus);
            if (IsWhiteout(status))
            {
                if (inLower && !replaced) changes.Add(new ContainerChange(ChangeKind.Deleted, path, 0));
                continue;
            }
            if (!inLower && !replaced)
            {
                if (status.IsRegular && status.Size == 0 && RuntimeFiles.Contains(path)) continue;
                if (status.IsDirectory && RuntimeDirectories.Contains(path))
                {
                    int before = changes.Count;
                    CompareDirectory(full, null, path, replaced: false, changes);
                    if (changes.Count > before) changes.Insert(before, new ContainerChange(ChangeKind.Modified, path, 0));
                    continue;
                }
            }
            if (!inLower)
            {
                AddTree(full, path, status, changes);
                continue;
            }
            int mark = changes.Count;
            bool differs = StatDifferent(lowerStatus, status) || !SameCapabilities(Path.Combine(lower!, name), full, status);
            if (differs) changes.Add(new ContainerChange(ChangeKind.Modified, path, CostOf(status)));
            if (status.IsDirectory)
            {
                bool childReplaced = !lowerStatus.IsDirectory || IsOpaque(full);
                CompareDirectory(full, lowerStatus.IsDirectory ? Path.Combine(lower!, name) : null, path, childReplaced, changes);
                if (!differs && changes.Count > mark) changes.Insert(mark, new ContainerChange(ChangeKind.Modified, path, 0));
            }
        }
    }

    /// <summary>A new entry and, for a directory, everything in it.</summary>
    private static void AddTree(string full, string path, FileStatus status, List<ContainerChange> changes)
    {
        changes.Add(new ContainerChange(ChangeKind.Added, path, CostOf(status)));
        if (!status.IsDirectory) return;
        foreach (var name in Names(full).OrderBy(n => n, ByteOrder.Instance))
        {
            var child = Path.Combine(full, name);
            var childStatus = Libc.Lstat(child);
            if (!IsWhiteout(childStatus)) AddTree(child, path + "/" + name, childStatus, changes);
        }
    }

    private static IEnumerable<string> Names(string dir) => Directory.EnumerateFileSystemEntries(dir).Select(p => Path.GetFileName(p));

    private static long CostOf(in FileStatus s) => s.IsRegular || s.IsSymlink ? s.Size : 0;

    private static bool IsWhiteout(in FileStatus s) => s.Type == FileStatus.CharDevice && s.RdevMajor == 0 && s.RdevMinor == 0;

    // moby's statDifferent: size and mtime are not compared for directories (moby#9874).
    private static bool StatDifferent(in FileStatus a, in FileStatus b) =>
        a.Mode != b.Mode || a.Uid != b.Uid || a.Gid != b.Gid || a.RdevMajor != b.RdevMajor || a.RdevMinor != b.RdevMinor
        || (!a.IsDirectory && (!SameTime(a, b) || a.Size != b.Size));

    private static bool SameCapabilities(string lower, string upper, in FileStatus status)
    {
        if (!status.IsRegular) return true;
        var a = Libc.Lgetxattr(lower, CapabilityXattr);
        var b = Libc.Lgetxattr(upper, CapabilityXattr);
        return ((ReadOnlySpan<byte>)a).SequenceEqual(b);
    }

    // Go's sameFsTime: equal seconds, and equal nanoseconds unless either side has none.
    private static bool SameTime(in FileStatus a, in FileStatus b) =>
        a.MtimeSeconds == b.MtimeSeconds && (a.MtimeNanoseconds == b.MtimeNanoseconds || a.MtimeNanoseconds == 0 || b.MtimeNanoseconds == 0);

    private static bool IsOpaque(string dir)
    {
        foreach (string xattr in (ReadOnlySpan<string>)[Whiteouts.OverlayOpaqueXattr, Whiteouts.UserOverlayOpaqueXattr])
        {
            if (Libc.Lgetxattr(dir, xattr) is [(byte)'y']) return true;
        }
        return false;
    }

    private sealed class ByteOrder : IComparer<string>
    {
        public static ByteOrder Instance { get; } = new();
        public int Compare(string? x, string? y) => ((ReadOnlySpan<byte>)Encoding.UTF8.GetBytes(x ?? "")).SequenceCompareTo(Encoding.UTF8.GetBytes(y ?? ""));
    }
}
