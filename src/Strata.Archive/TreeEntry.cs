namespace Strata.Archive;

/// <summary>
/// A comparable description of one path of a tree: equal records mean equal files for every
/// purpose an image cares about. <paramref name="Xattrs"/> is "name=hexvalue" lines in name
/// order (a string so record equality works); <paramref name="HardlinkGroup"/> is the first
/// path (in capture order) sharing the inode, or null; <paramref name="MtimeSeconds"/> is null
/// unless asked for. Directory sizes are 0; a symlink's size is 0 and its target is in
/// <paramref name="LinkTarget"/>.
/// </summary>
public sealed record TreeEntry(
    string Path,
    LayerEntryType Type,
    int Mode,
    int Uid,
    int Gid,
    long Size,
    string? ContentSha256,
    string? LinkTarget,
    string? HardlinkGroup,
    string Xattrs,
    long DeviceMajor,
    long DeviceMinor,
    long? MtimeSeconds);
