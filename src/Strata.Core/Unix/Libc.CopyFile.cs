using System.Runtime.InteropServices;

namespace Strata.Core.Unix;

public static partial class Libc
{
    private const int ORdonly = 0x0;
    private const int OWronly = 0x1;
    private const int OCreat = 0x40;
    private const int OExcl = 0x80;
    private const int ONofollow = 0x20000;
    private const int OCloexec = 0x80000;
    private const int Enosys = 38;
    private const int Eintr = 4;

    /// <summary>
    /// Copies the regular file <paramref name="source"/> to the new path <paramref name="dest"/>
    /// (which must not exist) and sets owner, mode and mtime (atime too) through the open
    /// descriptor: two path lookups per file instead of six, which counts when COPY writes
    /// thousands of small files through an overlay mount. Content moves in the kernel (sendfile),
    /// falling back to read/write. <paramref name="beforeMode"/> runs after the
    /// chown and before the chmod (xattrs go there: chown clears security.capability).
    /// </summary>
    public static void CopyRegularFile(string source, string dest, long size, int uid, int gid, uint mode, long mtimeSeconds, long mtimeNanoseconds, Action? beforeMode)
    {
        int from = open(source, ORdonly | OCloexec | ONofollow, 0);
        if (from < 0) throw new UnixException(Marshal.GetLastPInvokeError(), "open", source);
        try
        {
            int to = open(dest, OWronly | OCreat | OExcl | OCloexec | ONofollow, 0x180 /* 0600 until fchmod */);
            if (to < 0) throw new UnixException(Marshal.GetLastPInvokeError(), "create", dest);
            try
            {
                CopyContent(from, to, size, source, dest);
                if (fchown(to, uid, gid) != 0) throw new UnixException(Marshal.GetLastPInvokeError(), "chown", dest);
                beforeMode?.Invoke();
                if (fchmod(to, mode) != 0) throw new UnixException(Marshal.GetLastPInvokeError(), "chmod", dest);
                Span<Timespec> times = [new Timespec(mtimeSeconds, mtimeNanoseconds), new Timespec(mtimeSeconds, mtimeNanoseconds)];
                if (futimens(to, ref MemoryMarshal.GetReference(times)) != 0)
                    throw new UnixException(Marshal.GetLastPInvokeError(), "utimensat", dest);
            }
            finally
            {
                _ = close(to);
            }
        }
        finally
        {
            _ = close(from);
        }
    }

    // sendfile copies in the kernel between any two filesystems (copy_file_range refuses a
    // context on ext4 and a target on overlay). Copies until EOF, not just `size` bytes: a file
    // that grew since its lstat is copied whole, as File.Copy did.
    private static unsafe void CopyContent(int from, int to, long size, string source, string dest)
    {
        while (true)
        {
            nint n = sendfile(to, from, null, (nuint)Math.Clamp(size, 1 << 16, 1 << 30));
            if (n > 0) continue;
            if (n == 0) return;
            int errno = Marshal.GetLastPInvokeError();
            if (errno == Eintr) continue;
            if (errno is Einval or Enosys) break;
            throw new UnixException(errno, "copy " + source, dest);
        }
        // A source sendfile cannot read (no page cache behind it): plain reads and writes.
        var buffer = new byte[1 << 16];
        while (true)
        {
            nint read;
            fixed (byte* p = buffer) read = Read(from, p, (nuint)buffer.Length);
            if (read < 0) throw new UnixException(Marshal.GetLastPInvokeError(), "read", source);
            if (read == 0) return;
            for (nint done = 0; done < read;)
            {
                nint written;
                fixed (byte* p = &buffer[done]) written = Write(to, p, (nuint)(read - done));
                if (written < 0) throw new UnixException(Marshal.GetLastPInvokeError(), "write", dest);
                done += written;
            }
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static unsafe partial nint sendfile(int outFd, int inFd, long* offset, nuint count);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    private static unsafe partial nint Read(int fd, byte* buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    private static unsafe partial nint Write(int fd, byte* buffer, nuint count);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int fchown(int fd, int owner, int group);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int fchmod(int fd, uint mode);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int futimens(int fd, ref Timespec times);
}
