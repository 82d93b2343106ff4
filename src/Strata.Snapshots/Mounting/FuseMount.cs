using System.Diagnostics;
using Strata.Core;

namespace Strata.Snapshots.Mounting;

/// <summary>
/// Mounts a fuse-overlayfs <see cref="MountSpec"/>: its source is the program, its options go
/// to <c>-o</c>. The program mounts, then daemonizes (libfuse's fuse_daemonize, stdio moved to
/// /dev/null), so its exit means the mount is there, and its stderr is read to the end at once.
/// The daemon ends when the mount is unmounted (umount2, as for the kernel's mounts).
/// </summary>
internal static class FuseMount
{
    public static async Task MountAsync(MountSpec mount, string target)
    {
        var start = new ProcessStartInfo(mount.Source) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string a in (string[])["-o", string.Join(',', mount.Options), target]) start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new FailedPreconditionException($"could not start {mount.Source}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        string stderr = await process.StandardError.ReadToEndAsync().ConfigureAwait(false);
        await stdout.ConfigureAwait(false);
        await process.WaitForExitAsync().ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            // "unknown argument ignored: lazytime" and the like are noise; the last line says why it failed.
            string reason = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? $"exit {process.ExitCode}";
            throw new FailedPreconditionException($"{Path.GetFileName(mount.Source)} could not mount {target}: {reason}");
        }
    }
}
