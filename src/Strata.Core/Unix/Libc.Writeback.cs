using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Strata.Core.Unix;

public static partial class Libc
{
    private const uint SyncFileRangeWrite = 2;

    /// <summary>
    /// Asks the kernel to start writing <paramref name="count"/> bytes at <paramref name="offset"/>
    /// of <paramref name="file"/> to disk, without waiting (sync_file_range WRITE). A writer that
    /// will fsync at the end calls it as it goes, so the fsync finds little left to wait for.
    /// Not a durability guarantee; a failure is ignored, the fsync still follows.
    /// </summary>
    public static void StartWriteback(SafeFileHandle file, long offset, long count)
    {
        ArgumentNullException.ThrowIfNull(file);
        _ = sync_file_range(file, offset, count, SyncFileRangeWrite);
    }

    /// <summary>syncfs(2): writes back every dirty page of the filesystem that holds <paramref name="path"/>.</summary>
    public static void Syncfs(string path) => CallOnDirectory(path, "syncfs", syncfs);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int syncfs(int fd);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int sync_file_range(SafeFileHandle fd, long offset, long nbytes, uint flags);
}
