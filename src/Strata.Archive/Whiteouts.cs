namespace Strata.Archive;

/// <summary>The AUFS-style whiteout names of the OCI image spec.</summary>
public static class Whiteouts
{
    /// <summary>Prefix of a whiteout entry: <c>.wh.NAME</c> deletes NAME from lower layers.</summary>
    public const string Prefix = ".wh.";

    /// <summary>Marks its directory opaque: lower layers' contents of it are hidden.</summary>
    public const string OpaqueMarker = ".wh..wh..opq";

    /// <summary>Overlayfs marks an opaque upper directory with this xattr set to "y".</summary>
    public const string OverlayOpaqueXattr = "trusted.overlay.opaque";

    /// <summary>The same for unprivileged (userxattr) overlay mounts.</summary>
    public const string UserOverlayOpaqueXattr = "user.overlay.opaque";
}
