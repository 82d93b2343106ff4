using Strata.Core;
using Strata.Core.Unix;

namespace Strata.Snapshots;

/// <summary>Chooses a snapshotter for a root.</summary>
public static class SnapshotterFactory
{
    /// <summary>The kind that mounts overlay through fuse-overlayfs (containerd's and nerdctl's name for it).</summary>
    public const string FuseOverlayfs = "fuse-overlayfs";

    /// <summary>
    /// <paramref name="preferred"/> is "overlay", "fuse-overlayfs", "copy" or "auto" (overlay when
    /// <see cref="OverlaySupport"/> says it works under <paramref name="root"/>; else, inside a
    /// user namespace, fuse-overlayfs when it is installed and works; else copy).
    /// Asking for "overlay" or "fuse-overlayfs" where it does not work is an error naming the
    /// reason, not a silent fallback. One root must always be used with the same kind: their
    /// directories differ, so asking for fuse-overlayfs also records it as the root's kind.
    /// </summary>
    public static ISnapshotter Create(string root, string preferred, SnapshotterOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(root);
        switch (preferred)
        {
            case "copy":
                return new CopySnapshotter(root, options);
            case "overlay":
                if (!OverlaySupport.IsSupported(root, out string? reason))
                    throw new FailedPreconditionException($"overlayfs does not work under {root}: {reason}");
                return new OverlaySnapshotter(root, options);
            case FuseOverlayfs:
                return new OverlaySnapshotter(root, options, ForcedFuse(root));
            case "auto":
                return AutoKind(root) switch
                {
                    "overlay" => new OverlaySnapshotter(root, options),
                    FuseOverlayfs => new OverlaySnapshotter(root, options, OverlaySupport.FuseProgram()
                        ?? throw new FailedPreconditionException($"snapshots under {root} are mounted with fuse-overlayfs, which is not installed (Debian package fuse-overlayfs)")),
                    _ => new CopySnapshotter(root, options),
                };
            default:
                throw new InvalidArgumentException($"unknown snapshotter {preferred}: expected auto, overlay, fuse-overlayfs or copy");
        }
    }

    /// <summary>fuse-overlayfs asked for by name: it must be installed and work, and the root must be new or already fuse-overlayfs.</summary>
    private static string ForcedFuse(string root)
    {
        string program = OverlaySupport.FuseProgram()
            ?? throw new FailedPreconditionException("the fuse-overlayfs snapshotter needs fuse-overlayfs (Debian package fuse-overlayfs), and it is not installed");
        string? known = KnownKind(root);
        if (known == FuseOverlayfs) return program;
        if (known is not null)
            throw new FailedPreconditionException($"snapshots under {root} are {known} snapshots: a store keeps the kind it was made with");
        if (!OverlaySupport.IsFuseSupported(root, program, out string? reason))
            throw new FailedPreconditionException($"fuse-overlayfs does not work under {root}: {reason}");
        Remember(root, FuseOverlayfs);
        return program;
    }

    /// <summary>
    /// The kind "auto" chose for this root the first time, remembered in <c>ROOT/kind</c>: the
    /// probe mounts and tears down an overlay (tens of milliseconds, paid by every command that
    /// opens the store, a no-op build included), and a root must keep its kind anyway.
    /// </summary>
    private static string AutoKind(string root)
    {
        if (KnownKind(root) is { } known) return known;
        string kind = OverlaySupport.IsSupported(root, out _) ? "overlay"
            : UserNamespace.IsNested && OverlaySupport.FuseProgram() is { } program && OverlaySupport.IsFuseSupported(root, program, out _) ? FuseOverlayfs
            : "copy";
        Remember(root, kind);
        return kind;
    }

    private static string? KnownKind(string root)
    {
        try
        {
            string known = File.ReadAllText(Path.Combine(root, "kind")).Trim();
            if (known is "overlay" or "copy" or FuseOverlayfs) return known;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            // first use of this root
        }
        return null;
    }

    private static void Remember(string root, string kind)
    {
        Directory.CreateDirectory(root);
        string marker = Path.Combine(root, "kind");
        string temp = marker + "." + Environment.ProcessId + ".tmp";
        File.WriteAllText(temp, kind + "\n");
        File.Move(temp, marker, overwrite: true);
    }
}
