namespace Strata.Integration.Tests.Fixtures;

/// <summary>
/// The offline base image of these tests (built by the harness's <see cref="BusyboxRootfs"/>):
/// the static busybox, a symlink per applet the tests use, and /etc/passwd and /etc/group for root.
/// </summary>
public static class BaseRootfs
{
    public static readonly IReadOnlyList<string> Applets = ["cat", "echo", "env", "id", "ls", "mkdir", "rm", "sh", "sleep", "true"];

    private static readonly BusyboxRootfs Spec = new() { Applets = Applets, Files = BusyboxRootfs.RootUserFiles };

    public static string Create(string directory) => Spec.Create(directory);

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
