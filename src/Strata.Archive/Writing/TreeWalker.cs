using Strata.Core.Unix;

namespace Strata.Archive.Writing;

/// <summary>
/// Writes a whole tree depth-first, each directory's children in UTF-8 byte order, a directory
/// before its contents. In overlay mode the tree is an overlayfs upper dir: a 0/0 character
/// device is a deletion (<c>.wh.NAME</c>) and an opaque xattr becomes <c>.wh..wh..opq</c>.
/// The root itself is not an entry: its metadata belongs to whoever mounts the layer.
/// </summary>
internal sealed class TreeWalker
{
    private readonly FsTarWriter _writer;
    private readonly bool _overlay;

    public TreeWalker(FsTarWriter writer, bool overlay)
    {
        _writer = writer;
        _overlay = overlay;
    }

    public void Walk(string root, CancellationToken cancellationToken)
    {
        var status = Libc.Lstat(root);
        if (!status.IsDirectory) throw new DirectoryNotFoundException($"{root}: not a directory");
        WalkChildren(root, "", cancellationToken);
    }

    private void WalkChildren(string dir, string prefix, CancellationToken cancellationToken)
    {
        var children = new List<(string Key, byte[] SortKey, string Name, FileStatus Status)>();
        foreach (string fullPath in Directory.EnumerateFileSystemEntries(dir))
        {
            string name = Path.GetFileName(fullPath);
            var status = Libc.Lstat(fullPath);
            bool whiteout = _overlay && IsOverlayWhiteout(status);
            string key = whiteout ? Whiteouts.Prefix + name : name;
            children.Add((key, System.Text.Encoding.UTF8.GetBytes(key), name, status));
        }
        if (_overlay && IsOpaque(dir)) children.Add((Whiteouts.OpaqueMarker, System.Text.Encoding.UTF8.GetBytes(Whiteouts.OpaqueMarker), "", default));
        // UTF-8 byte order (see NameOrder), with each key encoded once.
        children.Sort((x, y) => x.SortKey.AsSpan().SequenceCompareTo(y.SortKey));

        foreach (var (key, _, name, status) in children)
        {
            if (key == Whiteouts.OpaqueMarker && name.Length == 0)
            {
                _writer.WriteWhiteout(prefix + Whiteouts.OpaqueMarker);
                continue;
            }
            if (key != name)
            {
                _writer.WriteWhiteout(prefix + key);
                continue;
            }
            string fullPath = Path.Combine(dir, name);
            string entryName = prefix + name;
            _writer.WritePath(fullPath, entryName, status, FileXattrs.Read(fullPath, dropOverlayPrivate: _overlay), cancellationToken);
            if (status.IsDirectory) WalkChildren(fullPath, entryName + "/", cancellationToken);
        }
    }

    private static bool IsOverlayWhiteout(in FileStatus status) =>
        status.Type == FileStatus.CharDevice && status.RdevMajor == 0 && status.RdevMinor == 0;

    private static bool IsOpaque(string dir)
    {
        foreach (string xattr in (ReadOnlySpan<string>)[Whiteouts.OverlayOpaqueXattr, Whiteouts.UserOverlayOpaqueXattr])
        {
            byte[]? value = Libc.Lgetxattr(dir, xattr);
            if (value is [(byte)'y']) return true;
        }
        return false;
    }
}
