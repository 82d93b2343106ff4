using System.Text;
using Strata.Archive;
using Strata.Core.Unix;

namespace Strata.Build.Containers;

/// <summary>
/// <c>docker diff</c> over an overlay upper directory: a whiteout device is <c>D</c>; an entry
/// that also exists in the lower view is <c>C</c> (directories in the upper dir exist there
/// because something under them changed, so parents of changes come out as <c>C</c>); anything
/// else is <c>A</c>. An opaque directory is <c>C</c> and everything under it <c>A</c>: nothing
/// below shows through it. Order is docker's walk order: depth first, names in byte order.
/// </summary>
public static class ContainerDiff
{
    /// <summary>Changes of <paramref name="upperDirectory"/> against the read-only root <paramref name="lowerRoot"/> (null: empty).</summary>
    public static List<ContainerChange> Compute(string upperDirectory, string? lowerRoot)
    {
        ArgumentNullException.ThrowIfNull(upperDirectory);
        var changes = new List<ContainerChange>();
        Walk(upperDirectory, "", lowerRoot, hidden: false, changes);
        return changes;
    }

    private static void Walk(string dir, string relative, string? lowerRoot, bool hidden, List<ContainerChange> changes)
    {
        var names = Directory.EnumerateFileSystemEntries(dir).Select(Path.GetFileName).Select(n => n!)
            .OrderBy(n => Encoding.UTF8.GetBytes(n), ByteOrder.Instance).ToList();
        foreach (var name in names)
        {
            var full = Path.Combine(dir, name);
            var path = relative + "/" + name;
            var status = Libc.Lstat(full);
            if (status.Type == FileStatus.CharDevice && status.RdevMajor == 0 && status.RdevMinor == 0)
            {
                changes.Add(new ContainerChange(ChangeKind.Deleted, path, 0));
                continue;
            }
            bool inLower = !hidden && lowerRoot is not null && Libc.TryLstat(lowerRoot + path, out _);
            long size = status.IsRegular ? status.Size : status.IsSymlink ? status.Size : 0;
            changes.Add(new ContainerChange(inLower ? ChangeKind.Modified : ChangeKind.Added, path, size));
            if (status.IsDirectory) Walk(full, path, lowerRoot, hidden || !inLower || IsOpaque(full), changes);
        }
    }

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
