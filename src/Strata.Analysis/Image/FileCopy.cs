using Strata.Archive;

namespace Strata.Analysis.Image;

/// <summary>
/// One copy of a path as one layer stores it: the compact per-path record the walk keeps (no
/// path string, a 128-bit prefix of the content's sha256), so memory grows with the number of
/// paths, never with their bytes.
/// </summary>
internal readonly record struct FileCopy(int Layer, long Size, LayerEntryType Type, int Mode, int Uid, int Gid, long Mtime, UInt128 Hash, bool Hashed)
{
    public bool IsFile => Type == LayerEntryType.File;

    /// <summary>True when both are regular files whose content hashes are equal.</summary>
    public bool SameContentAs(in FileCopy other) =>
        IsFile && other.IsFile && Hashed && other.Hashed && Size == other.Size && Hash == other.Hash;
}
