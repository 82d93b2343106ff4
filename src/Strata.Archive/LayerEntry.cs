namespace Strata.Archive;

/// <summary>One entry of a layer as read, without its content.</summary>
/// <param name="Name">Path as stored (no leading "./" or "/", no trailing "/").</param>
/// <param name="Type">Kind; whiteouts are recognised from the name.</param>
/// <param name="Size">Content bytes (files only).</param>
/// <param name="Mode">Permission bits including setuid/setgid/sticky (07777).</param>
/// <param name="LinkTarget">Symlink target or hardlink target path; null otherwise.</param>
/// <param name="WhiteoutTarget">For <see cref="LayerEntryType.Whiteout"/>, the path it deletes;
/// for <see cref="LayerEntryType.OpaqueWhiteout"/>, the opaque directory.</param>
public sealed record LayerEntry(
    string Name,
    LayerEntryType Type,
    long Size,
    int Mode,
    int Uid,
    int Gid,
    long MtimeSeconds,
    string? LinkTarget,
    long DeviceMajor,
    long DeviceMinor,
    IReadOnlyList<KeyValuePair<string, byte[]>> Xattrs,
    string? WhiteoutTarget)
{
    /// <summary>sha256 of a file's content, when the reader was asked to hash it.</summary>
    public Strata.Core.Digest? ContentDigest { get; init; }

    public bool IsWhiteout => Type is LayerEntryType.Whiteout or LayerEntryType.OpaqueWhiteout;
}
