namespace Strata.Execution.Tests.Fixtures;

/// <summary>
/// A tiny root filesystem: the static busybox, the applets the tests call as symlinks, and an
/// /etc with passwd and group. Deliberately no /proc, /dev, /sys, /tmp or /etc/hosts: the
/// runtime must create those mount points, and the executor must take them away again.
/// </summary>
internal static class BusyboxRootfs
{
    public const string BusyboxPath = "/bin/busybox";

    private static readonly string[] Applets =
        ["sh", "echo", "cat", "id", "ls", "hostname", "mount", "touch", "env", "pwd", "sleep", "yes", "head", "grep", "wc", "true", "mkdir", "mv", "ln", "rm"];

    public static string Create(string path)
    {
        Directory.CreateDirectory(Path.Combine(path, "bin"));
        Directory.CreateDirectory(Path.Combine(path, "etc"));
        File.Copy(BusyboxPath, Path.Combine(path, "bin", "busybox"));
        foreach (var applet in Applets)
            File.CreateSymbolicLink(Path.Combine(path, "bin", applet), "busybox");
        File.WriteAllText(Path.Combine(path, "etc", "passwd"), "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000:app:/home/app:/bin/sh\n");
        File.WriteAllText(Path.Combine(path, "etc", "group"), "root:x:0:\napp:x:1000:\n");
        return path;
    }
}
