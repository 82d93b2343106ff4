using System.Text;

namespace Strata.Images.Tests;

/// <summary>Small root filesystems made on the fly: files, a symlink, a hard link, a nested directory.</summary>
internal static class RootfsFixture
{
    public static string Create(string name = "rootfs", string appContent = "console.log('hi')\n")
    {
        // The caller deletes it (Scratch.Delete), as it deletes what the store made from it.
        var root = new TempDir($"strata-{name}-").Path;

        Directory.CreateDirectory(Path.Combine(root, "bin"));
        Directory.CreateDirectory(Path.Combine(root, "etc"));
        Directory.CreateDirectory(Path.Combine(root, "app"));
        File.WriteAllBytes(Path.Combine(root, "bin", "tool"), new byte[4096]);
        File.SetUnixFileMode(Path.Combine(root, "bin", "tool"), (UnixFileMode)0x1ED);
        File.CreateSymbolicLink(Path.Combine(root, "bin", "sh"), "tool");
        File.WriteAllText(Path.Combine(root, "etc", "passwd"), "root:x:0:0:root:/root:/bin/sh\n", Encoding.UTF8);
        File.WriteAllText(Path.Combine(root, "app", "app.js"), appContent, Encoding.UTF8);
        Strata.Core.Unix.Libc.Link(Path.Combine(root, "app", "app.js"), Path.Combine(root, "app", "same.js"));
        return root;
    }

    /// <summary>Bytes docker would count as the tree's size: 4096 + 2 (symlink "tool" is 4) + passwd + app once.</summary>
    public static long ContentSize(string root) =>
        4096 + "tool".Length + new FileInfo(Path.Combine(root, "etc", "passwd")).Length + new FileInfo(Path.Combine(root, "app", "app.js")).Length;
}
