using Strata.Core.Unix;

namespace Strata.Snapshots.Mounting;

/// <summary>
/// Turns an upper directory written by fuse-overlayfs into the one kernel overlay (userxattr)
/// writes for the same changes, so both give the same layer and image ID. They agree on
/// whiteouts (0/0 character devices) and differ on opaque directories: fuse-overlayfs marks
/// every directory it creates opaque, with <c>user.fuseoverlayfs.opaque=y</c> and, inside it, a
/// <c>.wh..wh..opq</c> file and often a <c>.wh..opq</c> 0/0 device, while the kernel marks
/// (<c>user.overlay.opaque=y</c>) only a directory made where the lowers had an entry (one
/// deleted first, so there was a whiteout to create over). So: the fuse markers go, and the
/// kernel's xattr is set where the path exists in the lowers as the merged view shows them.
/// fuse-overlayfs also leaves a whiteout for a directory made and removed in the upper alone
/// (runc's mount points /dev, /proc, /sys that strata removes after a RUN); the kernel leaves
/// none where the lowers have nothing to hide, so those go too.
/// fuse-overlayfs reads <c>user.overlay.opaque</c> too, so the result stays a valid upper or lower.
/// </summary>
internal static class FuseUpperFormat
{
    public const string FuseOpaqueXattr = "user.fuseoverlayfs.opaque";
    private const string KernelOpaqueXattr = "user.overlay.opaque";
    private const string OpaqueFile = ".wh..wh..opq";
    private const string OpaqueDevice = ".wh..opq";

    /// <summary>Rewrites <paramref name="upper"/> in place; <paramref name="lowers"/> are the parent chain's directories, top first. Idempotent.</summary>
    public static void Normalize(string upper, IReadOnlyList<string> lowers)
    {
        Walk(upper, "", lowers, lowersHidden: false);
    }

    private static void Walk(string upper, string relative, IReadOnlyList<string> lowers, bool lowersHidden)
    {
        string dir = relative.Length == 0 ? upper : Path.Combine(upper, relative);
        foreach (string path in Directory.EnumerateFileSystemEntries(dir))
        {
            if (!Libc.TryLstat(path, out var status)) continue;
            string child = relative.Length == 0 ? Path.GetFileName(path) : relative + "/" + Path.GetFileName(path);
            if (IsWhiteout(status))
            {
                if (lowersHidden || !ExistsInLowers(lowers, child)) File.Delete(path);
                continue;
            }
            if (!status.IsDirectory) continue;
            bool opaque = IsOpaque(path);
            if (Libc.Lgetxattr(path, FuseOpaqueXattr) is not null)
            {
                DeleteMarker(Path.Combine(path, OpaqueFile), FileStatus.Regular);
                DeleteMarker(Path.Combine(path, OpaqueDevice), FileStatus.CharDevice);
                Libc.Lremovexattr(path, FuseOpaqueXattr);
                opaque = !lowersHidden && ExistsInLowers(lowers, child);
                if (opaque) Libc.Lsetxattr(path, KernelOpaqueXattr, "y"u8);
            }
            Walk(upper, child, lowers, lowersHidden || opaque);
        }
    }

    private static bool IsWhiteout(FileStatus status) => status.Type == FileStatus.CharDevice && status.RdevMajor == 0 && status.RdevMinor == 0;

    private static bool IsOpaque(string path) => Libc.Lgetxattr(path, KernelOpaqueXattr) is [(byte)'y'];

    private static void DeleteMarker(string path, uint type)
    {
        if (Libc.TryLstat(path, out var status) && status.Type == type && status.Size == 0) File.Delete(path);
    }

    /// <summary>
    /// Whether <paramref name="relative"/> is in the merged view of <paramref name="lowers"/>:
    /// the first layer that has it decides, unless a whiteout or a non-directory hides it, or an
    /// opaque parent hides the layers below.
    /// </summary>
    private static bool ExistsInLowers(IReadOnlyList<string> lowers, string relative)
    {
        string[] parts = relative.Split('/');
        foreach (string lower in lowers)
        {
            string current = lower;
            bool hidesBelow = false;
            for (int i = 0; i < parts.Length; i++)
            {
                current = Path.Combine(current, parts[i]);
                if (!Libc.TryLstat(current, out var status)) break;
                if (IsWhiteout(status)) return false;
                if (i == parts.Length - 1) return true;
                if (!status.IsDirectory) return false;
                if (IsOpaque(current)) hidesBelow = true;
            }
            if (hidesBelow) return false;
        }
        return false;
    }
}
