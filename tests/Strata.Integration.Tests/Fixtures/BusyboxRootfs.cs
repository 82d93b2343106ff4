namespace Strata.Integration.Tests.Fixtures;

/// <summary>
/// The offline base image of the tests: a root filesystem holding the static busybox binary,
/// a symlink per applet the tests use, and /etc/passwd and /etc/group for root.
/// </summary>
public static class BusyboxRootfs
{
    public static readonly IReadOnlyList<string> Applets = ["cat", "echo", "env", "id", "ls", "mkdir", "rm", "sh", "sleep", "true"];

    public static string Create(string directory)
    {
        Tools.Require(Tools.Busybox);
        var bin = Directory.CreateDirectory(Path.Combine(directory, "bin")).FullName;
        var etc = Directory.CreateDirectory(Path.Combine(directory, "etc")).FullName;
        File.Copy(Tools.Busybox, Path.Combine(bin, "busybox"));
        File.SetUnixFileMode(Path.Combine(bin, "busybox"), (UnixFileMode)0b111_101_101);
        foreach (var applet in Applets) File.CreateSymbolicLink(Path.Combine(bin, applet), "busybox");
        File.WriteAllText(Path.Combine(etc, "passwd"), "root:x:0:0:root:/root:/bin/sh\n");
        File.WriteAllText(Path.Combine(etc, "group"), "root:x:0:\n");
        return directory;
    }

    /// <summary>The rootfs as a plain tar (what <c>docker import</c> takes).</summary>
    public static async Task<string> TarAsync(string rootfs, string tarPath)
    {
        await Tools.OkAsync(Tools.Tar, "-C", rootfs, "--numeric-owner", "-cf", tarPath, ".");
        return tarPath;
    }

    /// <summary>The paths of the rootfs as <c>tar -t</c> lists them: directories with a trailing slash, name order.</summary>
    public static IReadOnlyList<string> TarListing() =>
        ["bin/", "bin/busybox", .. Applets.Select(a => "bin/" + a), "etc/", "etc/group", "etc/passwd"];
}
