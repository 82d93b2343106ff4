namespace Strata.Build.IntegrationTests.Fixtures;

/// <summary>
/// The tiny offline base of the differential tests, built by the harness's <see cref="BusyboxRootfs"/>:
/// /bin/busybox with its applets as symlinks, the mount-point directories (/dev, /proc, /sys:
/// BuildKit 0.8 would otherwise leave them empty in the first RUN layer, which current BuildKit
/// and Strata do not), /etc /tmp /root, and passwd/group with root, a <c>node</c> user (uid 1000)
/// and an <c>app</c> group (gid 2000).
/// </summary>
internal static class DifferentialBase
{
    private static readonly BusyboxRootfs Spec = new()
    {
        Applets =
        [
            "sh", "ls", "cat", "echo", "id", "mkdir", "rm", "touch", "chmod", "chown", "ln", "mkfifo",
            "sleep", "stat", "sed", "printf", "test", "true", "false", "env", "pwd", "tar", "cp", "mv",
            "whoami", "wc", "date",
        ],
        Directories = ["dev", "proc", "sys", "etc", "tmp", "root", "srv/data"],
        Files =
        [
            new("etc/passwd", "root:x:0:0:root:/root:/bin/sh\nnode:x:1000:1000:node:/home/node:/bin/sh\n"),
            new("etc/group", "root:x:0:\nnode:x:1000:\napp:x:2000:node\n"),
            new("etc/motd", "base image\n"),
            new("srv/data/old1", "one\n"),
            new("srv/data/old2", "two\n"),
        ],
        Modes = [new("tmp", (UnixFileMode)0x3FF | UnixFileMode.StickyBit), new("root", (UnixFileMode)0x1C0)],
    };

    /// <param name="busybox">The busybox binary to use: the host's (busybox-static), or another architecture's.</param>
    public static void Create(string root, string busybox = BusyboxRootfs.HostBusybox) => (Spec with { Busybox = busybox }).Create(root);
}
