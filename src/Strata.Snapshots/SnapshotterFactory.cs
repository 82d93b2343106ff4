using Strata.Core;

namespace Strata.Snapshots;

/// <summary>Chooses a snapshotter for a root.</summary>
public static class SnapshotterFactory
{
    /// <summary>
    /// <paramref name="preferred"/> is "overlay", "copy" or "auto" (overlay when
    /// <see cref="OverlaySupport"/> says it works under <paramref name="root"/>, else copy).
    /// Asking for "overlay" where it does not work is an error naming the reason, not a silent
    /// fallback. One root must always be used with the same kind: their directories differ.
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
            case "auto":
                return AutoKind(root) == "overlay" ? new OverlaySnapshotter(root, options) : new CopySnapshotter(root, options);
            default:
                throw new InvalidArgumentException($"unknown snapshotter {preferred}: expected auto, overlay or copy");
        }
    }

    /// <summary>
    /// The kind "auto" chose for this root the first time, remembered in <c>ROOT/kind</c>: the
    /// probe mounts and tears down an overlay (tens of milliseconds, paid by every command that
    /// opens the store, a no-op build included), and a root must keep its kind anyway.
    /// </summary>
    private static string AutoKind(string root)
    {
        string marker = Path.Combine(root, "kind");
        try
        {
            string known = File.ReadAllText(marker).Trim();
            if (known is "overlay" or "copy") return known;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            // first use of this root
        }
        string kind = OverlaySupport.IsSupported(root, out _) ? "overlay" : "copy";
        string temp = marker + "." + Environment.ProcessId + ".tmp";
        File.WriteAllText(temp, kind + "\n");
        File.Move(temp, marker, overwrite: true);
        return kind;
    }
}
