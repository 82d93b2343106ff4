using Strata.Core.Unix;

namespace Strata.Archive.Tests.Fixtures;

/// <summary>Grows a random tree of every file type, with random modes (setuid, setgid, sticky
/// included), numeric owners (some beyond ustar's 7 octal digits), xattrs (user.* with binary
/// values, security.capability), mtimes, odd names (long, non-ASCII, leading dot, dash).</summary>
internal static class RandomTree
{
    private static readonly string[] Words = ["a", "b", "a-b", "etc", "bin", ".hidden", "with space", "café", "日本", "x.y", "Z", "lib64", "run"];
    private static readonly uint[] FileModes = [0x1A4, 0x1ED, 0x9ED /* 04755 */, 0x5ED /* 02755 */, 0xDED /* 06755 */, 0x180, 0x100, 0];
    private static readonly uint[] DirModes = [0x1ED, 0x1C0, 0x3FF /* 01777 */, 0x5FD /* 02775 */, 0x16D /* 0555 */];
    private static readonly int[] Ids = [0, 1, 1000, 65534, 3_000_000];
    private static readonly string[] LinkTargets = ["../x", "/etc/passwd", "target", "a/b/c", ".", "/", new string('t', 130)];

    /// <summary>Adds up to <paramref name="nodes"/> random entries under <paramref name="builder"/>'s
    /// root; top-level names start with <paramref name="topPrefix"/> so two trees can be kept disjoint.
    /// Returns the relative paths created, parents first.</summary>
    public static List<string> Grow(Random rng, TreeBuilder builder, string topPrefix, int nodes)
    {
        var dirs = new List<string> { "" };
        var files = new List<string>();
        var all = new List<string>();
        var used = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < nodes; i++)
        {
            string parent = dirs[rng.Next(dirs.Count)];
            string name = Name(rng, parent.Length == 0 ? topPrefix : "");
            string path = parent.Length == 0 ? name : parent + "/" + name;
            if (!used.Add(path)) continue;
            long mtime = rng.NextInt64(100_000_000, 2_000_000_000);
            int uid = Pick(rng, Ids, rng.Next(70_000));
            int gid = Pick(rng, Ids, rng.Next(70_000));
            int kind = rng.Next(10);
            if (kind == 7 && files.Count == 0) kind = 3; // a hardlink needs a file to point at
            switch (kind)
            {
                case 0 or 1 or 2:
                    builder.Dir(path, DirModes[rng.Next(DirModes.Length)], uid, gid, mtime);
                    dirs.Add(path);
                    break;
                case 3 or 4 or 5:
                    builder.File(path, Content(rng), FileModes[rng.Next(FileModes.Length)], uid, gid, mtime);
                    if (rng.Next(5) == 0) builder.NetRawCapability(path);
                    files.Add(path);
                    break;
                case 6:
                    builder.Symlink(path, LinkTargets[rng.Next(LinkTargets.Length)], uid, gid, mtime);
                    break;
                case 7:
                    builder.Hardlink(path, files[rng.Next(files.Count)]);
                    break;
                case 8:
                    builder.Fifo(path, FileModes[rng.Next(FileModes.Length)], uid, gid, mtime);
                    break;
                default:
                    if (rng.Next(2) == 0) builder.CharDevice(path, rng.Next(1, 256), rng.Next(256), 0x1B6, uid, gid, mtime);
                    else builder.BlockDevice(path, rng.Next(1, 256), rng.Next(256), 0x1B0, uid, gid, mtime);
                    break;
            }
            var status = Libc.Lstat(builder.Full(path));
            if ((status.IsDirectory || status.IsRegular) && rng.Next(3) == 0)
            {
                byte[] value = new byte[rng.Next(0, 40)];
                rng.NextBytes(value);
                builder.Xattr(path, "user.k" + rng.Next(3), value);
            }
            all.Add(path);
        }
        return all;
    }

    public static byte[] Content(Random rng)
    {
        int size = rng.Next(10) switch
        {
            0 => 0,
            1 => rng.Next(100_000, 300_000),
            _ => rng.Next(1, 5000),
        };
        byte[] content = new byte[size];
        rng.NextBytes(content);
        return content;
    }

    private static string Name(Random rng, string prefix)
    {
        string name = rng.Next(12) == 0 ? new string('L', rng.Next(101, 140)) : Words[rng.Next(Words.Length)] + rng.Next(100);
        return prefix + name;
    }

    private static int Pick(Random rng, int[] values, int other) => rng.Next(3) == 0 ? other : values[rng.Next(values.Length)];
}
