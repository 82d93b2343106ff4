using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Strata.Core.Unix;

/// <summary>
/// The few Linux calls the BCL does not offer: owners, device nodes, xattrs, statx, directory
/// fsync. Thin and errno-faithful: every wrapper throws <see cref="UnixException"/> naming the
/// path, so callers never see a bare errno. statx is used instead of stat because its struct
/// layout is the same on every architecture.
/// </summary>
public static partial class Libc
{
    public const int AtFdCwd = -100;
    public const int AtSymlinkNoFollow = 0x100;
    public const int AtStatxDontSync = 0x4000;
    public const uint StatxBasicStats = 0x7ff;

    public const int Enoent = 2;
    public const int Eexist = 17;
    public const int Ewouldblock = 11;
    public const int Enotdir = 20;
    public const int Erange = 34;
    public const int Enodata = 61;
    public const int Enotsup = 95;
    public const int Ebusy = 16;
    public const int Einval = 22;
    public const int Eperm = 1;

    public const ulong MsRdonly = 0x1;
    public const ulong MsNosuid = 0x2;
    public const ulong MsNodev = 0x4;
    public const ulong MsNoexec = 0x8;
    public const ulong MsRemount = 0x20;
    public const ulong MsBind = 0x1000;
    public const ulong MsRec = 0x4000;
    public const ulong MsPrivate = 0x40000;

    public const int MntDetach = 0x2;

    /// <summary>unshare(2) flag: this thread gets its own root and working directory.</summary>
    public const int CloneFs = 0x200;

    /// <summary>lstat-like: never follows a final symlink. Returns false when the path does not exist.</summary>
    public static bool TryLstat(string path, out FileStatus status)
    {
        var ok = statx(AtFdCwd, path, AtSymlinkNoFollow | AtStatxDontSync, StatxBasicStats, out var raw) == 0;
        if (!ok)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno is Enoent or Enotdir) { status = default; return false; }
            throw new UnixException(errno, "lstat", path);
        }
        status = FileStatus.From(in raw);
        return true;
    }

    /// <summary>lstat-like; a missing path is an error.</summary>
    public static FileStatus Lstat(string path) =>
        TryLstat(path, out var s) ? s : throw new UnixException(Enoent, "lstat", path);

    public static void Lchown(string path, int uid, int gid)
    {
        if (lchown(path, uid, gid) != 0) throw new UnixException(Marshal.GetLastPInvokeError(), "lchown", path);
    }

    /// <summary>Creates a device node or fifo; <paramref name="mode"/> includes the S_IF* type bits.</summary>
    public static void Mknod(string path, uint mode, long major, long minor)
    {
        ulong dev = MakeDev((ulong)major, (ulong)minor);
        if (mknod(path, mode, dev) != 0) throw new UnixException(Marshal.GetLastPInvokeError(), "mknod", path);
    }

    public static void Chmod(string path, uint mode)
    {
        if (chmod(path, mode) != 0) throw new UnixException(Marshal.GetLastPInvokeError(), "chmod", path);
    }

    /// <summary>Sets access and modification time without following a final symlink.</summary>
    public static void Lutimes(string path, long seconds, long nanoseconds)
    {
        Span<Timespec> times = [new Timespec(seconds, nanoseconds), new Timespec(seconds, nanoseconds)];
        if (utimensat(AtFdCwd, path, ref MemoryMarshal.GetReference(times), AtSymlinkNoFollow) != 0)
            throw new UnixException(Marshal.GetLastPInvokeError(), "utimensat", path);
    }

    public static void Lsetxattr(string path, string name, ReadOnlySpan<byte> value)
    {
        if (lsetxattr(path, name, ref MemoryMarshal.GetReference(value), (nuint)value.Length, 0) != 0)
            throw new UnixException(Marshal.GetLastPInvokeError(), $"setxattr {name}", path);
    }

    /// <summary>The value of xattr <paramref name="name"/>, or null when the file has none.</summary>
    public static byte[]? Lgetxattr(string path, string name)
    {
        for (int size = 256; ; size *= 4)
        {
            var buffer = new byte[size];
            nint n = lgetxattr(path, name, ref buffer[0], (nuint)buffer.Length);
            if (n >= 0) return buffer.AsSpan(0, (int)n).ToArray();
            int errno = Marshal.GetLastPInvokeError();
            if (errno is Enodata or Enotsup) return null;
            if (errno != Erange || size > 1 << 20) throw new UnixException(errno, $"getxattr {name}", path);
        }
    }

    /// <summary>Names of the file's extended attributes (without following a final symlink).</summary>
    public static IReadOnlyList<string> Llistxattr(string path)
    {
        for (int size = 1024; ; size *= 4)
        {
            var buffer = new byte[size];
            nint n = llistxattr(path, ref buffer[0], (nuint)buffer.Length);
            if (n >= 0)
            {
                var names = new List<string>();
                int start = 0;
                for (int i = 0; i < n; i++)
                {
                    if (buffer[i] != 0) continue;
                    if (i > start) names.Add(System.Text.Encoding.UTF8.GetString(buffer, start, i - start));
                    start = i + 1;
                }
                return names;
            }
            int errno = Marshal.GetLastPInvokeError();
            if (errno == Enotsup) return [];
            if (errno != Erange || size > 1 << 20) throw new UnixException(errno, "listxattr", path);
        }
    }

    public static void Lremovexattr(string path, string name)
    {
        if (lremovexattr(path, name) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno != Enodata) throw new UnixException(errno, $"removexattr {name}", path);
        }
    }

    /// <summary>fsync of a directory, so a rename or create inside it survives a crash.</summary>
    public static void FsyncDirectory(string path) => CallOnDirectory(path, "fsync", fsync);

    /// <summary>Opens the directory <paramref name="path"/>, runs <paramref name="call"/> on its descriptor, closes it.</summary>
    private static void CallOnDirectory(string path, string name, Func<int, int> call)
    {
        int fd = open(path, 0x10000 /* O_DIRECTORY */ | 0x80000 /* O_CLOEXEC */, 0);
        if (fd < 0) throw new UnixException(Marshal.GetLastPInvokeError(), "open", path);
        try
        {
            if (call(fd) != 0) throw new UnixException(Marshal.GetLastPInvokeError(), name, path);
        }
        finally
        {
            _ = close(fd);
        }
    }

    /// <summary>Creates a hard link <paramref name="newPath"/> to <paramref name="oldPath"/> (no symlink following).</summary>
    public static void Link(string oldPath, string newPath)
    {
        if (linkat(AtFdCwd, oldPath, AtFdCwd, newPath, 0) != 0)
            throw new UnixException(Marshal.GetLastPInvokeError(), "link " + oldPath, newPath);
    }

    /// <summary>
    /// Opens (creating if needed, mode 0644) a file used only for <c>flock</c>. The descriptor is
    /// close-on-exec so a child process never inherits, and so never prolongs, the lock.
    /// </summary>
    public static SafeFileHandle OpenLockFile(string path, bool create)
    {
        int flags = 0x2 /* O_RDWR */ | 0x80000 /* O_CLOEXEC */ | (create ? 0x40 /* O_CREAT */ : 0);
        int fd = open(path, flags, 0x1a4 /* 0644 */);
        if (fd < 0) throw new UnixException(Marshal.GetLastPInvokeError(), "open", path);
        return new SafeFileHandle(fd, ownsHandle: true);
    }

    /// <summary>
    /// Takes an exclusive <c>flock</c> without waiting. False when another open file description
    /// (this process or another) holds it. The lock ends when the handle is closed or the
    /// process dies, which is what makes it a reliable "owner is alive" signal.
    /// </summary>
    public static bool TryFlockExclusive(SafeFileHandle handle, string path)
    {
        ArgumentNullException.ThrowIfNull(handle);
        if (flock(handle, 2 /* LOCK_EX */ | 4 /* LOCK_NB */) == 0) return true;
        int errno = Marshal.GetLastPInvokeError();
        if (errno == Ewouldblock) return false;
        throw new UnixException(errno, "flock", path);
    }

    /// <summary>
    /// Takes a shared <c>flock</c> without waiting: many holders at once, none while an exclusive
    /// lock is held. False when an exclusive holder exists.
    /// </summary>
    public static bool TryFlockShared(SafeFileHandle handle, string path)
    {
        ArgumentNullException.ThrowIfNull(handle);
        if (flock(handle, 1 /* LOCK_SH */ | 4 /* LOCK_NB */) == 0) return true;
        int errno = Marshal.GetLastPInvokeError();
        if (errno == Ewouldblock) return false;
        throw new UnixException(errno, "flock", path);
    }

    /// <summary>
    /// mount(2). <paramref name="data"/> is the file-system specific string (overlay's
    /// "lowerdir=...,upperdir=..."); the kernel copies at most one page of it, so callers keep
    /// it shorter than <see cref="Environment.SystemPageSize"/>. The exception names the target.
    /// </summary>
    public static void Mount(string? source, string target, string? fsType, ulong flags, string? data)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (mount(source, target, fsType, flags, data) != 0)
            throw new UnixException(Marshal.GetLastPInvokeError(), $"mount -t {fsType ?? "none"} {source}", target);
    }

    /// <summary>umount2(2); <paramref name="flags"/> is 0 or <see cref="MntDetach"/>.</summary>
    public static void Umount2(string target, int flags)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (umount2(target, flags) != 0) throw new UnixException(Marshal.GetLastPInvokeError(), "umount", target);
    }

    /// <summary>
    /// unshare(2) for the calling thread. With <see cref="CloneFs"/> only the calling thread's
    /// working directory is detached from the process, which is what lets one dedicated thread
    /// chdir without moving every other thread of the runtime.
    /// </summary>
    public static void Unshare(int flags)
    {
        if (unshare(flags) != 0) throw new UnixException(Marshal.GetLastPInvokeError(), "unshare", $"flags 0x{flags:x}");
    }

    /// <summary>chdir(2): the calling thread's (or, without unshare, the process's) working directory.</summary>
    public static void Chdir(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (chdir(path) != 0) throw new UnixException(Marshal.GetLastPInvokeError(), "chdir", path);
    }

    public static int Geteuid() => geteuid();

    public static uint Umask(uint mask) => umask(mask);

    public static ulong MakeDev(ulong major, ulong minor) =>
        ((major & 0xfffff000UL) << 32) | ((major & 0xfffUL) << 8) | ((minor & 0xffffff00UL) << 12) | (minor & 0xffUL);

    public static long Major(ulong dev) => (long)(((dev >> 32) & 0xfffff000UL) | ((dev >> 8) & 0xfffUL));

    public static long Minor(ulong dev) => (long)(((dev >> 12) & 0xffffff00UL) | (dev & 0xffUL));

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int statx(int dirfd, string path, int flags, uint mask, out StatxBuffer buffer);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int lchown(string path, int owner, int group);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int mknod(string path, uint mode, ulong dev);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int chmod(string path, uint mode);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int utimensat(int dirfd, string path, ref Timespec times, int flags);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int lsetxattr(string path, string name, ref byte value, nuint size, int flags);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint lgetxattr(string path, string name, ref byte value, nuint size);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint llistxattr(string path, ref byte list, nuint size);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int lremovexattr(string path, string name);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int open(string path, int flags, uint mode);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int fsync(int fd);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int close(int fd);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int linkat(int olddirfd, string oldpath, int newdirfd, string newpath, int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int flock(SafeFileHandle fd, int operation);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int mount(string? source, string target, string? fstype, ulong flags, string? data);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int umount2(string target, int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int unshare(int flags);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int chdir(string path);

    [LibraryImport("libc")]
    private static partial int geteuid();

    [LibraryImport("libc")]
    private static partial uint umask(uint mask);
}
