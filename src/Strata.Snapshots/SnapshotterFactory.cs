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
                return OverlaySupport.IsSupported(root, out _) ? new OverlaySnapshotter(root, options) : new CopySnapshotter(root, options);
            default:
                throw new InvalidArgumentException($"unknown snapshotter {preferred}: expected auto, overlay or copy");
        }
    }
}
