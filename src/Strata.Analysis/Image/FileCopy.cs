using System.Runtime.InteropServices;
using Strata.Archive;

namespace Strata.Analysis.Image;

/// <summary>
/// One copy of a path as one layer stores it: the compact per-path record the walk keeps (no
/// path string, a 128-bit hash of the content), so memory grows with the number of paths, never
/// with their bytes. Auto layout and the hash as two words keep it at 40 bytes (a UInt128 field
/// would align the struct to 16 and pad it to 64); a million paths are a million of these.
/// </summary>
[StructLayout(LayoutKind.Auto)]
internal readonly record struct FileCopy
{
    private readonly ulong _hashHigh;
    private readonly ulong _hashLow;

    /// <param name="hash">The content's 128-bit hash (regular files), or null when it was not hashed.</param>
    public FileCopy(int layer, long size, LayerEntryType type, UInt128? hash)
    {
        Layer = layer;
        Size = size;
        Type = type;
        Hashed = hash is not null;
        _hashHigh = (ulong)((hash ?? 0) >> 64);
        _hashLow = (ulong)(hash ?? 0);
    }

    public int Layer { get; }

    public long Size { get; }

    public LayerEntryType Type { get; }

    public bool Hashed { get; }

    public bool IsFile => Type == LayerEntryType.File;

    /// <summary>True when both are regular files whose content hashes are equal.</summary>
    public bool SameContentAs(in FileCopy other) =>
        IsFile && other.IsFile && Hashed && other.Hashed && Size == other.Size && _hashHigh == other._hashHigh && _hashLow == other._hashLow;
}
