namespace Strata.Containers.Tests.Fixtures;

/// <summary>
/// The seed's tiny base (built by the harness's <see cref="BusyboxRootfs"/>): /bin/busybox with applet symlinks, /etc/passwd and group, an
/// /etc/hosts-like /etc/motd, files to delete, and the mount-point directories.
/// </summary>
internal static class ContainerRootfs
{
    private static readonly BusyboxRootfs Spec = new()
    {
        Applets = ["sh", "echo", "cat", "ls", "rm", "dd", "printf", "true", "pwd", "id", "mkdir", "sleep", "hostname", "ln"],
        Directories = ["dev", "proc", "sys", "etc", "tmp", "root", "srv/data"],
        Files =
        [
            new("etc/passwd", "root:x:0:0:root:/root:/bin/sh\nnode:x:1000:1000:node:/home/node:/bin/sh\n"),
            new("etc/group", "root:x:0:\nnode:x:1000:\n"),
            new("etc/motd", "base image\n"),
            new("srv/data/old1", "one\n"),
            new("srv/data/old2", "two\n"),
            new("srv/keep", "keep\n"),
        ],
    };

    public static void Create(string root) => Spec.Create(root);

    /// <summary>Adds /srv/big.bin: <paramref name="bytes"/> of real (not sparse) data.</summary>
    public static void AddBigFile(string root, long bytes)
    {
        var buffer = new byte[1 << 20];
        new Random(42).NextBytes(buffer);
        using var file = File.Create(Path.Combine(root, "srv", "big.bin"));
        for (long written = 0; written < bytes; written += buffer.Length) file.Write(buffer, 0, (int)Math.Min(buffer.Length, bytes - written));
    }
}
