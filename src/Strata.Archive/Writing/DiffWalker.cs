using Strata.Core.Unix;

namespace Strata.Archive.Writing;

/// <summary>
/// Writes the changes from a lower tree to an upper tree (both complete) in the same order as
/// <see cref="TreeWalker"/>: added and changed entries with the upper's metadata, deleted ones as
/// <c>.wh.NAME</c> (a deleted directory is one whiteout). The parent directories of every entry
/// are written too, so owners and modes of the path survive on a base that lacks them
/// (containerd does the same). Directory mtimes alone do not make a change: they move whenever
/// a child does. A file counts as unchanged when type, mode, owner, size, xattrs and mtime agree,
/// except that a whole-second mtime (typical after extraction from a tar) forces a content
/// comparison, because two different files extracted from tars can share it.
/// </summary>
internal sealed class DiffWalker
{
    private readonly FsTarWriter _writer;
    private readonly List<(string FullPath, string Name, FileStatus Status)> _pendingParents = [];

    public DiffWalker(FsTarWriter writer)
    {
        _writer = writer;
    }

    public void Walk(string lowerRoot, string upperRoot, CancellationToken cancellationToken)
    {
        if (!Libc.Lstat(lowerRoot).IsDirectory) throw new DirectoryNotFoundException($"{lowerRoot}: not a directory");
        if (!Libc.Lstat(upperRoot).IsDirectory) throw new DirectoryNotFoundException($"{upperRoot}: not a directory");
        WalkChildren(lowerRoot, upperRoot, "", cancellationToken);
    }

    private void WalkChildren(string? lowerDir, string upperDir, string prefix, CancellationToken cancellationToken)
    {
        var names = new SortedDictionary<string, (bool InLower, bool InUpper, string Name)>(NameOrder.Instance);
        foreach (string p in Directory.EnumerateFileSystemEntries(upperDir))
        {
            string name = Path.GetFileName(p);
            names[name] = (false, true, name);
        }
        if (lowerDir is not null)
        {
            foreach (string p in Directory.EnumerateFileSystemEntries(lowerDir))
            {
                string name = Path.GetFileName(p);
                if (names.ContainsKey(name)) names[name] = (true, true, name);
                else names[Whiteouts.Prefix + name] = (true, false, name);
            }
        }

        foreach (var (_, (inLower, inUpper, name)) in names)
        {
            cancellationToken.ThrowIfCancellationRequested();
            string entryName = prefix + name;
            if (!inUpper)
            {
                FlushParents(cancellationToken);
                _writer.WriteWhiteout(prefix + Whiteouts.Prefix + name);
                continue;
            }
            string upperPath = Path.Combine(upperDir, name);
            var upper = Libc.Lstat(upperPath);
            var upperXattrs = FileXattrs.Read(upperPath, dropOverlayPrivate: false);
            string? lowerPath = inLower ? Path.Combine(lowerDir!, name) : null;
            FileStatus lower = default;
            IReadOnlyList<KeyValuePair<string, byte[]>> lowerXattrs = [];
            if (lowerPath is not null)
            {
                lower = Libc.Lstat(lowerPath);
                lowerXattrs = FileXattrs.Read(lowerPath, dropOverlayPrivate: false);
            }

            if (upper.IsDirectory)
            {
                bool bothDirs = lowerPath is not null && lower.IsDirectory;
                if (bothDirs && SameMetadata(lower, upper) && FileXattrs.SameXattrs(lowerXattrs, upperXattrs))
                {
                    _pendingParents.Add((upperPath, entryName, upper));
                    WalkChildren(lowerPath, upperPath, entryName + "/", cancellationToken);
                    if (_pendingParents.Count > 0 && _pendingParents[^1].Name == entryName) _pendingParents.RemoveAt(_pendingParents.Count - 1);
                }
                else
                {
                    FlushParents(cancellationToken);
                    _writer.WritePath(upperPath, entryName, upper, upperXattrs, cancellationToken);
                    WalkChildren(bothDirs ? lowerPath : null, upperPath, entryName + "/", cancellationToken);
                }
                continue;
            }

            if (lowerPath is not null && Unchanged(lowerPath, lower, lowerXattrs, upperPath, upper, upperXattrs)) continue;
            FlushParents(cancellationToken);
            _writer.WritePath(upperPath, entryName, upper, upperXattrs, cancellationToken);
        }
    }

    private void FlushParents(CancellationToken cancellationToken)
    {
        foreach (var (fullPath, name, status) in _pendingParents)
            _writer.WritePath(fullPath, name, status, FileXattrs.Read(fullPath, dropOverlayPrivate: false), cancellationToken);
        _pendingParents.Clear();
    }

    private static bool SameMetadata(in FileStatus a, in FileStatus b) =>
        a.Mode == b.Mode && a.Uid == b.Uid && a.Gid == b.Gid;

    private static bool Unchanged(string lowerPath, in FileStatus lower, IReadOnlyList<KeyValuePair<string, byte[]>> lowerXattrs,
        string upperPath, in FileStatus upper, IReadOnlyList<KeyValuePair<string, byte[]>> upperXattrs)
    {
        if (!SameMetadata(lower, upper) || !FileXattrs.SameXattrs(lowerXattrs, upperXattrs)) return false;
        if (lower.MtimeSeconds != upper.MtimeSeconds || lower.MtimeNanoseconds != upper.MtimeNanoseconds) return false;
        switch (upper.Type)
        {
            case FileStatus.Symlink:
                return new FileInfo(lowerPath).LinkTarget == new FileInfo(upperPath).LinkTarget;
            case FileStatus.CharDevice or FileStatus.BlockDevice:
                return lower.RdevMajor == upper.RdevMajor && lower.RdevMinor == upper.RdevMinor;
            case FileStatus.Regular:
                if (lower.Size != upper.Size) return false;
                return upper.MtimeNanoseconds != 0 || SameContent(lowerPath, upperPath);
            default:
                return true;
        }
    }

    private static bool SameContent(string a, string b)
    {
        using var fa = new FileStream(a, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0, FileOptions.SequentialScan);
        using var fb = new FileStream(b, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0, FileOptions.SequentialScan);
        byte[] bufferA = System.Buffers.ArrayPool<byte>.Shared.Rent(1 << 16);
        byte[] bufferB = System.Buffers.ArrayPool<byte>.Shared.Rent(1 << 16);
        try
        {
            while (true)
            {
                int n = fa.ReadAtLeast(bufferA.AsSpan(0, 1 << 16), 1 << 16, throwOnEndOfStream: false);
                int m = fb.ReadAtLeast(bufferB.AsSpan(0, 1 << 16), 1 << 16, throwOnEndOfStream: false);
                if (n != m || !bufferA.AsSpan(0, n).SequenceEqual(bufferB.AsSpan(0, m))) return false;
                if (n == 0) return true;
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(bufferA);
            System.Buffers.ArrayPool<byte>.Shared.Return(bufferB);
        }
    }
}
