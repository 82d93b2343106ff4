using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Strata.Core.Unix;

public static partial class Libc
{
    /// <summary>
    /// A second, write-only descriptor of the existing file <paramref name="path"/> with O_DIRECT;
    /// null where the filesystem refuses it (EINVAL) or the architecture's flag is not known here.
    /// </summary>
    public static SafeFileHandle? TryOpenDirect(string path)
    {
        // O_DIRECT's value differs by architecture (asm-generic has 0x4000; arm's is 0x10000).
        int direct = RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 or Architecture.X86 => 0x4000,
            Architecture.Arm64 or Architecture.Arm => 0x10000,
            _ => 0,
        };
        if (direct == 0) return null;
        int fd = open(path, 0x1 /* O_WRONLY */ | 0x80000 /* O_CLOEXEC */ | direct, 0);
        if (fd >= 0) return new SafeFileHandle(fd, ownsHandle: true);
        int errno = Marshal.GetLastPInvokeError();
        if (errno == Einval) return null;
        throw new UnixException(errno, "open O_DIRECT", path);
    }

    /// <summary>pwrite(2), retried on EINTR: the number of bytes written (at least one).</summary>
    public static unsafe int Pwrite(SafeFileHandle file, byte* data, int count, long offset, string path)
    {
        ArgumentNullException.ThrowIfNull(file);
        while (true)
        {
            nint n = pwrite(file, data, (nuint)count, offset);
            if (n > 0) return (int)n;
            int errno = n == 0 ? 5 /* EIO: a regular file never takes zero bytes */ : Marshal.GetLastPInvokeError();
            if (errno == 4 /* EINTR */) continue;
            throw new UnixException(errno, "write", path);
        }
    }

    /// <summary>fsync(2) of an open file.</summary>
    public static void Fsync(SafeFileHandle file, string path)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (fsync(file) != 0) throw new UnixException(Marshal.GetLastPInvokeError(), "fsync", path);
    }

    [LibraryImport("libc", SetLastError = true)]
    private static unsafe partial nint pwrite(SafeFileHandle fd, byte* buffer, nuint count, long offset);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int fsync(SafeFileHandle fd);
}
