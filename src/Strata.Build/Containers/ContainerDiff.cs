using System.Text;
using Strata.Archive;
using Strata.Core.Unix;

namespace Strata.Build.Containers;

/// <summary>
/// <c>docker diff</c> over an overlay upper directory, with docker's rules (moby
/// <c>pkg/archive</c> <c>changes</c>): a whiteout device is <c>D</c>; an entry that also exists
/// in the lower view is <c>C</c>, except a directory whose mode, size and mtime equal the lower
/// one's (it is there only to hold changed children; overlay's copy-up renames into the parent,
/// which changes its mtime, so parents of real changes do show); anything else is <c>A</c>; every
/// ancestor of a change is shown as <c>C</c> once. An opaque directory is <c>C</c>
/// and everything under it <c>A</c>: nothing below shows through it. Order is docker's walk
/// order: depth first, names in byte order.
/// </summary>
public static class ContainerDiff
{
    /// <summary>Changes of <paramref name="upperDirectory"/> against the read-only root <paramref name="lowerRoot"/> (null: empty).</summary>
    public static List<ContainerChange> Compute(string upperDirectory, string? lowerRoot)
    {
        ArgumentNullException.ThrowIfNull(upperDirectory);
        var changes = new List<ContainerChange>();
        Walk(upperDirectory, "", lowerRoot, hidden: false, changes, new HashSet<string>(StringComparer.Ordinal));
        return changes;
    }

    private static void Walk(string dir, string relative, string? lowerRoot, bool hidden, List<ContainerChange> changes, HashSet<string> changedDirs)
    {
        var names = Directory.EnumerateFileSystemEntries(dir).Select(Path.GetFileName).Select(n => n!)
            .OrderBy(n => Encoding.UTF8.GetBytes(n), ByteOrder.Instance).ToList();
        foreach (var name in names)
        {
            var full = Path.Combine(dir, name);
            var path = relative + "/" + name;
            var status = Libc.Lstat(full);
            ChangeKind kind;
            bool record = true;
            if (status.Type == FileStatus.CharDevice && status.RdevMajor == 0 && status.RdevMinor == 0)
            {
                kind = ChangeKind.Deleted;
            }
            else if (!hidden && lowerRoot is not null && Libc.TryLstat(lowerRoot + path, out var lower))
            {
                kind = ChangeKind.Modified;
                // docker: a directory that only holds changes, with the lower one's mode, size
                // and mtime, is not itself a change (its changed children still are).
                if (status.IsDirectory && lower.IsDirectory && status.Mode == lower.Mode && status.Size == lower.Size && SameTime(status, lower))
                    record = false;
            }
            else
            {
                kind = ChangeKind.Added;
            }
            if (record)
            {
                if (status.IsDirectory) changedDirs.Add(path);
                AddParents(relative, changes, changedDirs);
                long size = kind == ChangeKind.Deleted ? 0 : status.IsRegular || status.IsSymlink ? status.Size : 0;
                changes.Add(new ContainerChange(kind, path, size));
            }
            if (status.IsDirectory && kind != ChangeKind.Deleted)
                Walk(full, path, lowerRoot, hidden || kind == ChangeKind.Added || IsOpaque(full), changes, changedDirs);
        }
    }

    // Every ancestor of a change shows as C (docker does so for A and D; the seed's walkthrough
    // expects it for C too, and overlay keeps a copied-up parent's mtime, which would hide it).
    // Walk order visits ancestors first, so the missing ones go here, top down.
    private static void AddParents(string parent, List<ContainerChange> changes, HashSet<string> changedDirs)
    {
        if (parent.Length == 0 || changedDirs.Contains(parent)) return;
        AddParents(parent[..parent.LastIndexOf('/')], changes, changedDirs);
        changedDirs.Add(parent);
        changes.Add(new ContainerChange(ChangeKind.Modified, parent, 0));
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

    private sealed class ByteOrder : IComparer<byte[]>
    {
        public static ByteOrder Instance { get; } = new();
        public int Compare(byte[]? x, byte[]? y) => ((ReadOnlySpan<byte>)x).SequenceCompareTo(y);
    }
}
