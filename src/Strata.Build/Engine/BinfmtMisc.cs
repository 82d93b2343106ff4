using Strata.Core;

namespace Strata.Build.Engine;

/// <summary>
/// Whether this host can execute another platform's binaries: natively (same architecture, or
/// 386 on amd64, arm on arm64) or through an enabled binfmt_misc handler for it (qemu-user's
/// <c>qemu-ARCH</c> entries under /proc/sys/fs/binfmt_misc).
/// </summary>
internal static class BinfmtMisc
{
    public const string Root = "/proc/sys/fs/binfmt_misc";

    public static bool CanExecute(Platform target, Platform host, out string why)
    {
        why = "";
        if (target.Os != host.Os)
        {
            why = $"a {target.Os} image cannot run on {host.Os}";
            return false;
        }
        if (target.Architecture == host.Architecture || (target.Architecture, host.Architecture) is ("386", "amd64") or ("arm", "arm64")) return true;
        var qemu = QemuName(target.Architecture);
        if (!File.Exists(Path.Combine(Root, "status")))
        {
            why = $"binfmt_misc is not mounted at {Root}, so no handler for {target.Architecture} (install qemu-user-static and binfmt-support)";
            return false;
        }
        if (File.ReadAllText(Path.Combine(Root, "status")).Trim() != "enabled")
        {
            why = $"binfmt_misc is disabled ({Root}/status)";
            return false;
        }
        foreach (var entry in Directory.EnumerateFiles(Root))
        {
            var name = Path.GetFileName(entry);
            if (name is "status" or "register" || !name.Contains(qemu, StringComparison.Ordinal)) continue;
            var text = File.ReadAllText(entry);
            if (text.StartsWith("enabled", StringComparison.Ordinal)) return true;
        }
        why = $"no enabled binfmt_misc handler for {target.Architecture} ({qemu}) in {Root} (install qemu-user-static and binfmt-support)";
        return false;
    }

    private static string QemuName(string architecture) => "qemu-" + architecture switch
    {
        "amd64" => "x86_64",
        "arm64" => "aarch64",
        "386" => "i386",
        "ppc64le" => "ppc64le",
        "mips64le" => "mips64el",
        _ => architecture,
    };
}
