namespace Strata.Containers.Tests.Fixtures;

/// <summary>
/// The seed's tiny base: /bin/busybox with applet symlinks, /etc/passwd and group, an
/// /etc/hosts-like /etc/motd, files to delete, and the mount-point directories.
/// </summary>
internal static class ContainerRootfs
{
    private static readonly string[] Applets = ["sh", "echo", "cat", "ls", "rm", "dd", "printf", "true", "pwd", "id", "mkdir", "sleep", "hostname", "ln"];

    public static void Create(string root)
    {
        const string busybox = "/bin/busybox";
        if (!File.Exists(busybox)) throw new FileNotFoundException("busybox-static is needed for the base image", busybox);
        foreach (var dir in new[] { "bin", "dev", "proc", "sys", "etc", "tmp", "root", "srv/data" })
            Directory.CreateDirectory(Path.Combine(root, dir));
        File.Copy(busybox, Path.Combine(root, "bin", "busybox"));
        File.SetUnixFileMode(Path.Combine(root, "bin", "busybox"), (UnixFileMode)0x1ED);
        foreach (var applet in Applets) File.CreateSymbolicLink(Path.Combine(root, "bin", applet), "busybox");
        File.WriteAllText(Path.Combine(root, "etc", "passwd"), "root:x:0:0:root:/root:/bin/sh\nnode:x:1000:1000:node:/home/node:/bin/sh\n");
        File.WriteAllText(Path.Combine(root, "etc", "group"), "root:x:0:\nnode:x:1000:\n");
        File.WriteAllText(Path.Combine(root, "etc", "motd"), "base image\n");
        File.WriteAllText(Path.Combine(root, "srv", "data", "old1"), "one\n");
        File.WriteAllText(Path.Combine(root, "srv", "data", "old2"), "two\n");
        File.WriteAllText(Path.Combine(root, "srv", "keep"), "keep\n");
    }

    /// <summary>Adds /srv/big.bin: <paramref name="bytes"/> of real (not sparse) data.</summary>
    public static void AddBigFile(string root, long bytes)
    {
        var buffer = new byte[1 << 20];
        new Random(42).NextBytes(buffer);
        using var file = File.Create(Path.Combine(root, "srv", "big.bin"));
        for (long written = 0; written < bytes; written += buffer.Length) file.Write(buffer, 0, (int)Math.Min(buffer.Length, bytes - written));
    }
}
