using System.Security.Cryptography;
using System.Text;
using Strata.Archive.Writing;
using Strata.Core.Unix;

namespace Strata.Archive;

/// <summary>Describes a tree as a list of <see cref="TreeEntry"/> in layer order (depth-first,
/// UTF-8 byte order), for tests and for differential comparison with other builders.</summary>
public static class TreeManifest
{
    public static IReadOnlyList<TreeEntry> Capture(string root, bool includeMtime = false)
    {
        ArgumentNullException.ThrowIfNull(root);
        var result = new List<TreeEntry>();
        var inodes = new Dictionary<(long, long, long), string>();
        Walk(root, "", includeMtime, result, inodes);
        return result;
    }

    private static void Walk(string dir, string prefix, bool includeMtime, List<TreeEntry> result, Dictionary<(long, long, long), string> inodes)
    {
        var names = Directory.EnumerateFileSystemEntries(dir).Select(System.IO.Path.GetFileName).OfType<string>().ToList();
        names.Sort(NameOrder.Instance);
        foreach (string name in names)
        {
            string full = System.IO.Path.Combine(dir, name);
            string rel = prefix + name;
            var s = Libc.Lstat(full);
            string? group = null;
            if (!s.IsDirectory && s.LinkCount > 1)
            {
                var key = (s.DeviceMajor, s.DeviceMinor, s.Inode);
                if (!inodes.TryGetValue(key, out group)) inodes[key] = group = rel;
            }
            var type = s.Type switch
            {
                FileStatus.Directory => LayerEntryType.Directory,
                FileStatus.Symlink => LayerEntryType.Symlink,
                FileStatus.CharDevice => LayerEntryType.CharDevice,
                FileStatus.BlockDevice => LayerEntryType.BlockDevice,
                FileStatus.Fifo => LayerEntryType.Fifo,
                FileStatus.Regular => LayerEntryType.File,
                _ => LayerEntryType.Other,
            };
            var xattrs = new StringBuilder();
            foreach (var (key, value) in FileXattrs.Read(full, dropOverlayPrivate: false))
                xattrs.Append(key).Append('=').Append(Convert.ToHexStringLower(value)).Append('\n');
            result.Add(new TreeEntry(
                rel, type, (int)s.Permissions, s.Uid, s.Gid,
                type == LayerEntryType.File ? s.Size : 0,
                type == LayerEntryType.File ? Sha256Of(full) : null,
                type == LayerEntryType.Symlink ? new FileInfo(full).LinkTarget : null,
                group, xattrs.ToString(),
                type is LayerEntryType.CharDevice or LayerEntryType.BlockDevice ? s.RdevMajor : 0,
                type is LayerEntryType.CharDevice or LayerEntryType.BlockDevice ? s.RdevMinor : 0,
                includeMtime ? s.MtimeSeconds : null));
            if (s.IsDirectory) Walk(full, rel + "/", includeMtime, result, inodes);
        }
    }

    private static string Sha256Of(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0, FileOptions.SequentialScan);
        return Convert.ToHexStringLower(SHA256.HashData(file));
    }
}
