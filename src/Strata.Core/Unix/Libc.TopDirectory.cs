using System.Runtime.InteropServices;

namespace Strata.Core.Unix;

public static partial class Libc
{
    private const int ORdonlyDirectory = 0x10000; // O_RDONLY | O_DIRECTORY
    private const nuint FsIocGetflags = 0x80086601;
    private const nuint FsIocSetflags = 0x40086602;
    private const int FsTopdirFlag = 0x00020000;

    /// <summary>
    /// Marks <paramref name="directory"/> as the top of a hierarchy (<c>chattr +T</c>), so ext4
    /// places each new subdirectory in a block group of its own (Orlov) instead of next to its
    /// siblings. Why the store wants it: ext4 without a journal will not reuse an inode freed in
    /// the last minute and scans past every such inode on each create, so unpacking 20,000 files
    /// right after a prune removed 20,000 others in the same group takes 15 s instead of 0.7 s.
    /// Best effort: false where the filesystem has no such flag (xfs, btrfs, tmpfs).
    /// </summary>
    public static bool TryMarkTopDirectory(string directory)
    {
        int fd = open(directory, ORdonlyDirectory, 0);
        if (fd < 0) return false;
        try
        {
            int flags = 0;
            if (ioctl(fd, FsIocGetflags, ref flags) != 0) return false;
            if ((flags & FsTopdirFlag) != 0) return true;
            flags |= FsTopdirFlag;
            return ioctl(fd, FsIocSetflags, ref flags) == 0;
        }
        finally
        {
            _ = close(fd);
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int ioctl(int fd, nuint request, ref int value);
}
