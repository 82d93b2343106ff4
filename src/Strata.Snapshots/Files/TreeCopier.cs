using Strata.Core.Unix;

namespace Strata.Snapshots.Files;

/// <summary>
/// Copies a tree with everything an image layer can carry: owners, modes (setuid included),
/// extended attributes (security.capability, trusted.*), mtimes, symlinks, hard links (kept as
/// links inside the copy), fifos and device nodes. Used by the copying snapshotter, where no
/// copy-on-write is available; reflinks are not used because ext4 has none.
/// </summary>
internal static class TreeCopier
{
    /// <summary>Copies the contents and the metadata of <paramref name="source"/> into the existing directory <paramref name="destination"/>.</summary>
    public static void Copy(string source, string destination, CancellationToken cancellationToken)
    {
        var links = new Dictionary<(long, long, long), string>();
        CopyDirectory(source, destination, links, cancellationToken);
    }

    private static void CopyDirectory(string source, string destination, Dictionary<(long, long, long), string> links, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        foreach (string entry in Directory.EnumerateFileSystemEntries(source))
        {
            string target = Path.Combine(destination, Path.GetFileName(entry));
            var status = Libc.Lstat(entry);
            if (status.IsDirectory)
            {
                Directory.CreateDirectory(target);
                CopyDirectory(entry, target, links, cancellationToken);
                continue;
            }
            if (status.LinkCount > 1)
            {
                var inode = (status.DeviceMajor, status.DeviceMinor, status.Inode);
                if (links.TryGetValue(inode, out string? first))
                {
                    Libc.Link(first, target);
                    continue;
                }
                links[inode] = target;
            }
            switch (status.Type)
            {
                case FileStatus.Regular:
                    File.Copy(entry, target);
                    break;
                case FileStatus.Symlink:
                    File.CreateSymbolicLink(target, new FileInfo(entry).LinkTarget!);
                    break;
                default:
                    // Fifos, sockets and device nodes: the same node, not its contents.
                    Libc.Mknod(target, status.Mode, status.RdevMajor, status.RdevMinor);
                    break;
            }
            CopyMetadata(entry, target, status);
        }
        // Directory metadata last: its mtime would change with every entry created above.
        CopyMetadata(source, destination, Libc.Lstat(source));
    }

    /// <summary>
    /// Owner, then mode, then xattrs, then time: chown clears setuid/setgid bits and
    /// security.capability, so those are set after it.
    /// </summary>
    private static void CopyMetadata(string source, string target, in FileStatus status)
    {
        Libc.Lchown(target, status.Uid, status.Gid);
        if (!status.IsSymlink) Libc.Chmod(target, status.Permissions);
        foreach (string name in Libc.Llistxattr(source))
        {
            byte[]? value = Libc.Lgetxattr(source, name);
            if (value is null) continue;
            try
            {
                Libc.Lsetxattr(target, name, value);
            }
            catch (UnixException e) when (status.IsSymlink && e.Errno is Libc.Eperm or Libc.Enotsup)
            {
                // user.* xattrs are not allowed on symlinks; the source cannot really have them.
            }
        }
        Libc.Lutimes(target, status.MtimeSeconds, status.MtimeNanoseconds);
    }
}
