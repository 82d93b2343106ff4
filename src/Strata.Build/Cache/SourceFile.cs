namespace Strata.Build.Cache;

/// <summary>
/// One entry a COPY or ADD selects, as far as the cache cares: never its mtime, so a
/// <c>touch</c> or a fresh checkout keeps the cache while a <c>chmod</c> does not.
/// </summary>
/// <param name="Path">Relative to the source root, '/'-separated ("" for the root itself).</param>
/// <param name="Type">file, dir, symlink or other.</param>
/// <param name="Mode">Permission bits (with setuid, setgid, sticky).</param>
/// <param name="Uid">Owner; only from a stage or image (context owners are not copied).</param>
/// <param name="Sha256">Content hash of a regular file (hex).</param>
/// <param name="LinkTarget">A symlink's target.</param>
internal sealed record SourceFile(string Path, string Type, uint Mode, int Uid, int Gid, long Size, string? Sha256, string? LinkTarget)
{
    /// <summary>True when the contents (or what the entry is) differ, as opposed to its mode or owner only.</summary>
    public bool ContentDiffers(SourceFile other) =>
        Type != other.Type || Size != other.Size || Sha256 != other.Sha256 || LinkTarget != other.LinkTarget;

    public bool MetadataDiffers(SourceFile other) => Mode != other.Mode || Uid != other.Uid || Gid != other.Gid;
}
