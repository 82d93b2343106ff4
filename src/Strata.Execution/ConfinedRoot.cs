using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using Strata.Core;

namespace Strata.Execution;

/// <summary>
/// A container's root filesystem opened as a directory handle, with every lookup done by
/// openat2(2) with <c>RESOLVE_IN_ROOT</c>: symbolic links (absolute ones, <c>..</c>, links to
/// <c>/</c>) resolve as they would inside the container, so no path and no concurrent swap of a
/// directory for a link can reach the host. Children are opened by one name relative to their
/// parent's handle, never by a re-resolved path.
/// </summary>
public sealed partial class ConfinedRoot : IDisposable
{
    private const int OPath = 0x200000, ODirectory = 0x10000, ONofollow = 0x20000, OCloexec = 0x80000;
    private const int OCreat = 0x40, OExcl = 0x80, OWronly = 0x1, ORdonly = 0;
    private const ulong ResolveNoMagiclinks = 0x02, ResolveNoSymlinks = 0x04, ResolveBeneath = 0x08, ResolveInRoot = 0x10;
    private const int AtEmptyPath = 0x1000, AtSymlinkNofollow = 0x100, AtRemoveDir = 0x200;
    private const long SysOpenat2 = 437;
    private const int Eagain = 11, Eexist = 17, Enoent = 2;

    private readonly SafeFileHandle _root;
    private readonly string _description;

    private ConfinedRoot(SafeFileHandle root, string description)
    {
        _root = root;
        _description = description;
    }

    /// <summary>Opens <paramref name="rootPath"/> (a host directory) as the root; <paramref name="description"/> names it in errors.</summary>
    public static ConfinedRoot Open(string rootPath, string description)
    {
        int fd = open(rootPath, OPath | ODirectory | OCloexec);
        if (fd < 0) throw new NotFoundException($"{description}: cannot open root filesystem {rootPath}: {Marshal.GetLastPInvokeErrorMessage()}");
        return new ConfinedRoot(new SafeFileHandle(fd, ownsHandle: true), description);
    }

    /// <summary>An O_PATH handle on <paramref name="path"/> (a path inside the container), or null when it does not exist.</summary>
    public SafeFileHandle? TryOpenPath(string path, bool followFinal)
    {
        var h = OpenAt(_root, Relative(path), OPath | (followFinal ? 0 : ONofollow), 0, ResolveInRoot | ResolveNoMagiclinks, out int errno);
        if (h is null && errno != Enoent && errno != 20) throw Error(path, errno);
        return h;
    }

    /// <summary>An O_PATH handle on the child <paramref name="name"/> of <paramref name="dir"/>, never following a link; null when missing.</summary>
    public SafeFileHandle? TryOpenChild(SafeFileHandle dir, string name)
    {
        var h = OpenAt(dir, name, OPath | ONofollow, 0, ResolveBeneath | ResolveNoSymlinks | ResolveNoMagiclinks, out int errno);
        if (h is null && errno != Enoent) throw Error(name, errno);
        return h;
    }

    /// <summary>Reopens an O_PATH handle of a regular file for reading (the same inode, no new lookup).</summary>
    public static FileStream OpenRead(SafeFileHandle path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var fd = open(MagicPath(path), ORdonly | OCloexec);
        if (fd < 0) throw new IOException($"cannot reopen for reading: {Marshal.GetLastPInvokeErrorMessage()}");
        return new FileStream(new SafeFileHandle(fd, true), FileAccess.Read);
    }

    /// <summary>Creates <paramref name="name"/> in <paramref name="dir"/> for writing, replacing a non-directory already there (a link is replaced, never followed).</summary>
    public FileStream Create(SafeFileHandle dir, string name, UnixFileMode mode)
    {
        RemoveNonDirectory(dir, name);
        var h = OpenAt(dir, name, OWronly | OCreat | OExcl | ONofollow, (ulong)mode, ResolveBeneath | ResolveNoSymlinks | ResolveNoMagiclinks, out int errno)
            ?? throw Error(name, errno);
        return new FileStream(h, FileAccess.Write);
    }

    /// <summary>The child directory <paramref name="name"/> of <paramref name="dir"/>, made when missing.</summary>
    public SafeFileHandle CreateDirectory(SafeFileHandle dir, string name, UnixFileMode mode)
    {
        if (TryOpenChild(dir, name) is { } existing)
        {
            if (IsDirectory(existing)) return existing;
            existing.Dispose();
            RemoveNonDirectory(dir, name);
        }
        if (mkdirat(dir, name, (uint)mode) != 0 && Marshal.GetLastPInvokeError() != Eexist) throw Error(name, Marshal.GetLastPInvokeError());
        var h = TryOpenChild(dir, name) ?? throw Error(name, Enoent);
        if (!IsDirectory(h)) throw new FailedPreconditionException($"{_description}: {name} is not a directory");
        return h;
    }

    /// <summary>Makes the symbolic link <paramref name="name"/> -> <paramref name="target"/> in <paramref name="dir"/> (the target is stored, not resolved).</summary>
    public void CreateSymlink(SafeFileHandle dir, string name, string target)
    {
        RemoveNonDirectory(dir, name);
        if (symlinkat(target, dir, name) != 0) throw Error(name, Marshal.GetLastPInvokeError());
    }

    /// <summary>The file's type and permission bits (st_mode), without following a link.</summary>
    public static uint Mode(SafeFileHandle h)
    {
        var buffer = new byte[256];
        if (statx(h, "", AtEmptyPath | AtSymlinkNofollow, 0x2 /* STATX_MODE */, buffer) != 0)
            throw new IOException($"statx failed: {Marshal.GetLastPInvokeErrorMessage()}");
        return BitConverter.ToUInt16(buffer, 28);
    }

    public static bool IsDirectory(SafeFileHandle h) => (Mode(h) & 0xF000) == 0x4000;

    /// <summary>The target of the link <paramref name="h"/> refers to.</summary>
    public static string ReadLink(SafeFileHandle h)
    {
        var buffer = new byte[4096];
        var n = readlinkat(h, "", buffer, buffer.Length);
        if (n < 0) throw new IOException($"readlink failed: {Marshal.GetLastPInvokeErrorMessage()}");
        return System.Text.Encoding.UTF8.GetString(buffer, 0, (int)n);
    }

    /// <summary>The names in the directory <paramref name="dir"/>.</summary>
    public static IEnumerable<string> List(SafeFileHandle dir) =>
        Directory.EnumerateFileSystemEntries(MagicPath(dir)).Select(p => Path.GetFileName(p)).ToList();

    public void Dispose() => _root.Dispose();

    private void RemoveNonDirectory(SafeFileHandle dir, string name)
    {
        using var existing = TryOpenChild(dir, name);
        if (existing is null) return;
        if (IsDirectory(existing)) throw new FailedPreconditionException($"{_description}: cannot overwrite directory {name} with a non-directory");
        if (unlinkat(dir, name, 0) != 0) throw Error(name, Marshal.GetLastPInvokeError());
    }

    private static string MagicPath(SafeFileHandle h) => $"/proc/self/fd/{h.DangerousGetHandle()}";

    private static string Relative(string path)
    {
        var trimmed = path.TrimStart('/');
        return trimmed.Length == 0 ? "." : trimmed;
    }

    private static SafeFileHandle? OpenAt(SafeFileHandle dir, string path, int flags, ulong mode, ulong resolve, out int errno)
    {
        var how = new OpenHow { Flags = (ulong)(flags | OCloexec), Mode = mode, Resolve = resolve };
        for (int attempt = 0; ; attempt++)
        {
            long fd = openat2(SysOpenat2, dir, path, ref how, (nuint)Marshal.SizeOf<OpenHow>());
            if (fd >= 0)
            {
                errno = 0;
                return new SafeFileHandle((nint)fd, ownsHandle: true);
            }
            errno = Marshal.GetLastPInvokeError();
            // RESOLVE_IN_ROOT answers EAGAIN when a rename raced the lookup: try again.
            if (errno != Eagain || attempt > 100) return null;
        }
    }

    private Exception Error(string path, int errno) =>
        new FailedPreconditionException($"{_description}: {path}: {Marshal.GetPInvokeErrorMessage(errno)}");

    [StructLayout(LayoutKind.Sequential)]
    private struct OpenHow
    {
        public ulong Flags;
        public ulong Mode;
        public ulong Resolve;
    }

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial long openat2(long number, SafeFileHandle dirfd, string path, ref OpenHow how, nuint size);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int open(string path, int flags);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int mkdirat(SafeFileHandle dirfd, string path, uint mode);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int symlinkat(string target, SafeFileHandle dirfd, string path);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int unlinkat(SafeFileHandle dirfd, string path, int flags);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint readlinkat(SafeFileHandle dirfd, string path, [Out] byte[] buffer, nint size);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int statx(SafeFileHandle dirfd, string path, int flags, uint mask, [Out] byte[] buffer);
}
