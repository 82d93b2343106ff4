using Strata.Core.Unix;

namespace Strata.Snapshots;

/// <summary>
/// Whether overlayfs works for snapshots under a directory. Asking the kernel's file-system
/// list is not enough (overlay may be listed yet refuse an upper directory on this file system,
/// e.g. one that is itself an overlay, or refuse us for lack of privilege), so this mounts a
/// tiny two-lower overlay with the options the snapshotter uses, deletes a lower file through
/// it and checks that a 0/0 character-device whiteout appeared in the upper directory.
/// fuse-overlayfs is probed the same way.
/// </summary>
public static class OverlaySupport
{
    /// <summary>Where fuse-overlayfs is installed (Debian package fuse-overlayfs), or null.</summary>
    public static string? FuseProgram() =>
        ((string[])["/usr/local/bin", "/usr/bin", "/bin", "/usr/local/sbin", "/usr/sbin", "/sbin"]).Select(d => Path.Combine(d, "fuse-overlayfs")).FirstOrDefault(File.Exists);

    /// <summary>True when the probe worked; otherwise <paramref name="reason"/> says why not.</summary>
    public static bool IsSupported(string directory, out string? reason) => Probe(directory, null, out reason);

    /// <summary>The same probe mounted by fuse-overlayfs (<paramref name="program"/>), which needs /dev/fuse the user may open.</summary>
    public static bool IsFuseSupported(string directory, string program, out string? reason) => Probe(directory, program, out reason);

    private static bool Probe(string directory, string? program, out string? reason)
    {
        ArgumentNullException.ThrowIfNull(directory);
        Directory.CreateDirectory(directory);
        string probe = Path.Combine(directory, "overlay-probe-" + Guid.NewGuid().ToString("N")[..12]);
        string merged = Path.Combine(probe, "merged");
        bool mounted = false;
        try
        {
            foreach (string d in new[] { "lower1", "lower2", "upper", "work", "merged" }) Directory.CreateDirectory(Path.Combine(probe, d));
            File.WriteAllText(Path.Combine(probe, "lower1", "file"), "x");
            string[] options = [$"lowerdir={probe}/lower2:{probe}/lower1", $"upperdir={probe}/upper", $"workdir={probe}/work"];
            if (program is null) Libc.Mount("overlay", merged, "overlay", 0, string.Join(',', [.. options, .. OverlaySnapshotter.FormatOptions]));
            else Mounting.FuseMount.MountAsync(new Core.MountSpec(OverlaySnapshotter.FuseMountType, program, options), merged).GetAwaiter().GetResult();
            mounted = true;
            File.Delete(Path.Combine(merged, "file"));
            var whiteout = Libc.Lstat(Path.Combine(probe, "upper", "file"));
            if (whiteout.Type != FileStatus.CharDevice || whiteout.RdevMajor != 0 || whiteout.RdevMinor != 0)
            {
                reason = "overlay did not record a deletion as a 0/0 character device";
                return false;
            }
            reason = null;
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or Core.FailedPreconditionException or System.ComponentModel.Win32Exception)
        {
            reason = e.Message;
            return false;
        }
        finally
        {
            if (mounted)
            {
                try { Libc.Umount2(merged, Libc.MntDetach); } catch (UnixException) { /* best effort: the probe dir stays */ }
            }
            try { Directory.Delete(probe, recursive: true); } catch (IOException) { /* still mounted: leave it */ }
        }
    }
}
