using System.Text;
using Strata.Core.Unix;

namespace Strata.Archive.Tests.Fixtures;

/// <summary>Builds a directory tree with exact metadata: owners, modes (set after chown, which
/// clears setuid), xattrs (after chown, which clears security.capability) and mtimes
/// (directories last, when their contents stopped changing).</summary>
internal sealed class TreeBuilder
{
    private readonly List<(string Path, long Mtime)> _directoryTimes = [];

    public TreeBuilder(string root)
    {
        Root = root;
        Directory.CreateDirectory(root);
    }

    public string Root { get; }

    public string Full(string path) => Path.Combine(Root, path);

    public TreeBuilder Dir(string path, uint mode = 0x1ED, int uid = 0, int gid = 0, long mtime = 1_600_000_000)
    {
        string full = Full(path);
        Directory.CreateDirectory(full);
        Own(full, mode, uid, gid);
        _directoryTimes.Add((full, mtime));
        return this;
    }

    public TreeBuilder File(string path, string content, uint mode = 0x1A4, int uid = 0, int gid = 0, long mtime = 1_600_000_000) =>
        File(path, Encoding.UTF8.GetBytes(content), mode, uid, gid, mtime);

    public TreeBuilder File(string path, byte[] content, uint mode = 0x1A4, int uid = 0, int gid = 0, long mtime = 1_600_000_000)
    {
        string full = Full(path);
        System.IO.File.WriteAllBytes(full, content);
        Own(full, mode, uid, gid);
        Libc.Lutimes(full, mtime, 0);
        return this;
    }

    public TreeBuilder Symlink(string path, string target, int uid = 0, int gid = 0, long mtime = 1_600_000_000)
    {
        string full = Full(path);
        System.IO.File.CreateSymbolicLink(full, target);
        Libc.Lchown(full, uid, gid);
        Libc.Lutimes(full, mtime, 0);
        return this;
    }

    public TreeBuilder Hardlink(string path, string existing)
    {
        Libc.Link(Full(existing), Full(path));
        return this;
    }

    public TreeBuilder Fifo(string path, uint mode = 0x1A4, int uid = 0, int gid = 0, long mtime = 1_600_000_000) =>
        Node(path, FileStatus.Fifo, 0, 0, mode, uid, gid, mtime);

    public TreeBuilder CharDevice(string path, long major, long minor, uint mode = 0x1B6, int uid = 0, int gid = 0, long mtime = 1_600_000_000) =>
        Node(path, FileStatus.CharDevice, major, minor, mode, uid, gid, mtime);

    public TreeBuilder BlockDevice(string path, long major, long minor, uint mode = 0x1B0, int uid = 0, int gid = 0, long mtime = 1_600_000_000) =>
        Node(path, FileStatus.BlockDevice, major, minor, mode, uid, gid, mtime);

    /// <summary>An overlayfs whiteout: a 0/0 character device.</summary>
    public TreeBuilder OverlayWhiteout(string path) => Node(path, FileStatus.CharDevice, 0, 0, 0, 0, 0, 0);

    /// <summary>Marks a directory opaque the way overlayfs does.</summary>
    public TreeBuilder OverlayOpaque(string path) => Xattr(path, "trusted.overlay.opaque", "y"u8.ToArray());

    public TreeBuilder Xattr(string path, string name, byte[] value)
    {
        Libc.Lsetxattr(Full(path), name, value);
        return this;
    }

    /// <summary>security.capability granting cap_net_raw (v2 layout: magic+effective, permitted, inheritable).</summary>
    public TreeBuilder NetRawCapability(string path) => Xattr(path, "security.capability", CapabilityNetRaw);

    public static byte[] CapabilityNetRaw { get; } = [0x01, 0x00, 0x00, 0x02, 0x00, 0x20, 0x00, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];

    /// <summary>Sets directory mtimes, deepest first; call after the last change.</summary>
    public TreeBuilder Finish()
    {
        for (int i = _directoryTimes.Count - 1; i >= 0; i--) Libc.Lutimes(_directoryTimes[i].Path, _directoryTimes[i].Mtime, 0);
        return this;
    }

    private TreeBuilder Node(string path, uint type, long major, long minor, uint mode, int uid, int gid, long mtime)
    {
        string full = Full(path);
        Libc.Mknod(full, type | (mode & 0xFFF), major, minor);
        Own(full, mode, uid, gid);
        Libc.Lutimes(full, mtime, 0);
        return this;
    }

    private static void Own(string full, uint mode, int uid, int gid)
    {
        Libc.Lchown(full, uid, gid);
        Libc.Chmod(full, mode & 0xFFF);
    }
}
