using Strata.Core.Unix;

namespace Strata.Images.Layers;

/// <summary>
/// A tree's SIZE as docker reports it: bytes of regular files plus symlink target lengths,
/// each hard-linked inode once; directories and whiteouts count nothing.
/// </summary>
internal static class ContentSize
{
    public static long OfTree(string root)
    {
        long total = 0;
        var seen = new HashSet<long>();
        var pending = new Stack<string>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            var dir = pending.Pop();
            foreach (var path in Directory.EnumerateFileSystemEntries(dir))
            {
                var status = Libc.Lstat(path);
                if (status.IsDirectory) { pending.Push(path); continue; }
                if (status.LinkCount > 1 && !seen.Add(status.Inode)) continue;
                if (status.IsRegular || status.IsSymlink) total += status.Size;
            }
        }
        return total;
    }
}
