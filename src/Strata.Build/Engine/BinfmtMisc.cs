using Strata.Core;

namespace Strata.Build.Engine;

/// <summary>
/// Whether this host can execute another platform's binaries: natively (same architecture, or
/// 386 on amd64, arm on arm64) or through an enabled binfmt_misc handler whose magic matches an
/// ELF executable of that architecture (qemu-user's <c>qemu-ARCH</c> entries, whatever their
/// name). A handler must carry the <c>F</c> flag: the kernel then opens the interpreter when it
/// is registered, so it runs inside a container whose root holds no such file; without it the
/// kernel looks the interpreter path up in the container and the exec fails.
/// </summary>
internal static class BinfmtMisc
{
    /// <summary>Where the kernel's binfmt_misc file system is mounted.</summary>
    public const string Root = "/proc/sys/fs/binfmt_misc";

    /// <summary><see cref="CanExecute(Platform, Platform, string, out string)"/> on the kernel's own <see cref="Root"/>.</summary>
    public static bool CanExecute(Platform target, Platform host, out string why) => CanExecute(target, host, Root, out why);

    /// <summary>
    /// True when <paramref name="host"/> runs <paramref name="target"/>'s binaries, natively or
    /// through a usable handler in <paramref name="root"/>; else <paramref name="why"/> says what
    /// is missing and how to enable it, in words that follow "cannot run PLATFORM binaries: ".
    /// </summary>
    public static bool CanExecute(Platform target, Platform host, string root, out string why)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(host);
        why = "";
        if (target.Os != host.Os)
        {
            why = $"a {target.Os} image cannot run on {host.Os}";
            return false;
        }
        if (IsNative(target, host)) return true;
        var qemu = ElfMachines.QemuName(target.Architecture);
        var enable = $"install qemu-user-static (apt-get install qemu-user-static) or enable its handler (update-binfmts --enable {qemu})";
        if (ElfMachines.Header(target.Architecture) is not { } header)
        {
            why = $"no binfmt_misc handler is known for architecture {target.Architecture}";
            return false;
        }
        if (!File.Exists(Path.Combine(root, "status")))
        {
            why = $"binfmt_misc is not mounted at {root} (mount -t binfmt_misc binfmt_misc {root}), so there is no {target} handler: {enable}";
            return false;
        }
        if (File.ReadAllText(Path.Combine(root, "status")).Trim() != "enabled")
        {
            why = $"binfmt_misc is disabled ({root}/status): echo 1 > {root}/status";
            return false;
        }
        BinfmtEntry? unfixed = null;
        foreach (var entry in Entries(root))
        {
            if (!entry.Enabled || !entry.Matches(header)) continue;
            if (entry.FixBinary) return true;
            unfixed ??= entry;
        }
        why = unfixed is not null
            ? $"the binfmt_misc handler {unfixed.Name} for {target} ({unfixed.Interpreter}) lacks the F flag, so it is not usable inside the container: register it again with flags F (update-binfmts --disable {unfixed.Name} && update-binfmts --enable {unfixed.Name}, or the F-flagged line of /usr/lib/binfmt.d/{qemu}.conf)"
            : $"no binfmt_misc handler for {target} ({qemu}) in {root}: {enable}";
        return false;
    }

    /// <summary>Same architecture, or one the CPU runs itself (386 on amd64, arm on arm64).</summary>
    public static bool IsNative(Platform target, Platform host) =>
        target.Os == host.Os && (target.Architecture == host.Architecture || (target.Architecture, host.Architecture) is ("386", "amd64") or ("arm", "arm64"));

    private static IEnumerable<BinfmtEntry> Entries(string root)
    {
        foreach (var path in Directory.EnumerateFiles(root))
        {
            var name = Path.GetFileName(path);
            if (name is "status" or "register") continue;
            string text;
            try
            {
                text = File.ReadAllText(path);
            }
            catch (IOException)
            {
                continue; // unregistered while listed
            }
            if (BinfmtEntry.Parse(name, text) is { } entry) yield return entry;
        }
    }
}
