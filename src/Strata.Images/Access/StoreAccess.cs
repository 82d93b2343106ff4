using System.Globalization;
using Strata.Core;
using Strata.Core.Unix;

namespace Strata.Images.Access;

/// <summary>
/// Keeps the store closed to other host users. Unpacked layers under the store hold whatever
/// images hold, setuid-root binaries included; a store root other users can traverse lets any
/// of them run such a binary straight from <c>snapshotter/</c> and gain euid 0. docker keeps
/// <c>/var/lib/docker</c> 0710 for the same reason. Strata needs no traversal by anyone but
/// its owner (runc runs as that owner, and a container sees its rootfs through its own mount
/// namespace), so the root is 0700 and owned by the user who opens it.
/// </summary>
public static class StoreAccess
{
    /// <summary>The mode a store root has: its owner only.</summary>
    public const uint RootMode = 0x1C0; // 0700

    /// <summary>Group and other bits: any of them opens the store to other users.</summary>
    private const uint OpenBits = 0x3F; // 0077

    /// <summary>
    /// Creates <paramref name="root"/> 0700 when missing; refuses a root owned by another user
    /// (a store made by root is not a rootless user's, nor the reverse); closes a root that an
    /// earlier version left open. Returns what was closed, for <c>system check</c> to report, or null.
    /// </summary>
    public static string? EnsureClosed(string root)
    {
        if (!Libc.TryLstat(root, out var status))
        {
            Directory.CreateDirectory(root, (UnixFileMode)RootMode);
            status = Libc.Lstat(root);
        }
        if (!status.IsDirectory) throw new FailedPreconditionException($"store root {root} is not a directory");
        RefuseForeign(root, status);
        // umask may have narrowed the mode of a fresh directory; only an open one needs fixing.
        if ((status.Permissions & OpenBits) == 0) return null;
        Libc.Chmod(root, RootMode);
        return $"store root {root} was open to other users (mode {Octal(status.Permissions)}); closed to {Octal(RootMode)}";
    }

    /// <summary>
    /// Refuses <paramref name="root"/> when it exists and belongs to another user: a store made by
    /// root is not a rootless user's, nor the reverse. A rootless strata asks this before it enters
    /// its user namespace, where root's files would only show as the overflow id.
    /// </summary>
    public static void RefuseForeign(string root)
    {
        if (Libc.TryLstat(root, out var status)) RefuseForeign(root, status);
    }

    private static void RefuseForeign(string root, FileStatus status) => RefuseForeign(root, status.Uid, Libc.Geteuid());

    /// <summary>
    /// Refuses <paramref name="root"/> when <paramref name="ownerUid"/> (its owner seen from the
    /// host) is not <paramref name="yourUid"/>: for a rootless strata already inside its user
    /// namespace, which learns the owner from outside.
    /// </summary>
    public static void RefuseForeign(string root, long ownerUid, long yourUid)
    {
        if (ownerUid == yourUid) return;
        string owner = ownerUid.ToString(CultureInfo.InvariantCulture), you = yourUid.ToString(CultureInfo.InvariantCulture);
        throw new FailedPreconditionException(ownerUid == 0
            ? $"store root {root} was made by root (uid 0); rootless strata (uid {you}) cannot use it: use a store of your own (--root, default $XDG_DATA_HOME/strata)"
            : $"store root {root} belongs to uid {owner}, not to you (uid {you}): use a store of your own (--root)");
    }

    /// <summary>A finding when <paramref name="root"/> is open to other users now, else null.</summary>
    public static string? DescribeOpen(string root)
    {
        if (!Libc.TryLstat(root, out var status)) return null;
        return (status.Permissions & OpenBits) == 0
            ? null
            : $"store root {root} is open to other users (mode {Octal(status.Permissions)}): setuid files in its layers are reachable; run any strata command to close it";
    }

    private static string Octal(uint mode) => "0" + Convert.ToString(mode, 8);
}
