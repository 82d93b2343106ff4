namespace Strata.Build.IntegrationTests.Fixtures;

/// <summary>
/// A tiny offline base: /bin/busybox with its applets as symlinks, the mount-point directories
/// (/dev, /proc, /sys: BuildKit 0.8 would otherwise leave them empty in the first RUN layer,
/// which current BuildKit and Strata do not), /etc /tmp /root, and passwd/group with root,
/// a <c>node</c> user (uid 1000) and an <c>app</c> group (gid 2000).
/// </summary>
internal static class BusyboxRootfs
{
    private static readonly string[] Applets =
    [
        "sh", "ls", "cat", "echo", "id", "mkdir", "rm", "touch", "chmod", "chown", "ln", "mkfifo",
        "sleep", "stat", "sed", "printf", "test", "true", "false", "env", "pwd", "tar", "cp", "mv",
        "whoami", "wc", "date",
    ];

    /// <param name="busybox">The busybox binary to use: the host's (busybox-static), or another architecture's.</param>
    public static void Create(string root, string busybox = "/bin/busybox")
    {
        if (!File.Exists(busybox)) throw new FileNotFoundException("busybox-static is needed for the base image", busybox);
        foreach (var dir in new[] { "bin", "dev", "proc", "sys", "etc", "tmp", "root" })
            Directory.CreateDirectory(Path.Combine(root, dir));
        File.Copy(busybox, Path.Combine(root, "bin", "busybox"));
        File.SetUnixFileMode(Path.Combine(root, "bin", "busybox"), (UnixFileMode)0x1ED);
        foreach (var applet in Applets) File.CreateSymbolicLink(Path.Combine(root, "bin", applet), "busybox");
        File.SetUnixFileMode(Path.Combine(root, "tmp"), (UnixFileMode)0x3FF | UnixFileMode.StickyBit);
        File.SetUnixFileMode(Path.Combine(root, "root"), (UnixFileMode)0x1C0);
        File.WriteAllText(Path.Combine(root, "etc", "passwd"),
            "root:x:0:0:root:/root:/bin/sh\nnode:x:1000:1000:node:/home/node:/bin/sh\n");
        File.WriteAllText(Path.Combine(root, "etc", "group"), "root:x:0:\nnode:x:1000:\napp:x:2000:node\n");
        File.WriteAllText(Path.Combine(root, "etc", "motd"), "base image\n");
        Directory.CreateDirectory(Path.Combine(root, "srv", "data"));
        File.WriteAllText(Path.Combine(root, "srv", "data", "old1"), "one\n");
        File.WriteAllText(Path.Combine(root, "srv", "data", "old2"), "two\n");
    }
}
