using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Strata.Execution;

/// <summary>
/// The Linux calls a container's pseudo-terminal needs that the BCL lacks: window size ioctls,
/// becoming a child subreaper, and waiting for (or killing) a process .NET did not start.
/// </summary>
internal static partial class TerminalNative
{
    private const nuint Tiocgwinsz = 0x5413;
    private const nuint Tiocswinsz = 0x5414;
    private const int PrSetChildSubreaper = 36;
    private const int PidType = 1; // P_PID
    private const int WExited = 4;
    private const int WNoWait = 0x01000000;
    private const int Eintr = 4;
    private const int Eio = 5;
    private const int Sigkill = 9;

    /// <summary>A terminal's size: rows, columns (and pixels, unused).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct WindowSize
    {
        public ushort Rows;
        public ushort Columns;
        public ushort XPixels;
        public ushort YPixels;
    }

    /// <summary>The size of the terminal on <paramref name="fd"/>; false when it is not a terminal.</summary>
    public static bool TryGetSize(int fd, out WindowSize size)
    {
        size = default;
        return isatty(fd) == 1 && ioctl(fd, Tiocgwinsz, ref size) == 0 && size.Rows > 0 && size.Columns > 0;
    }

    /// <summary>Sets the size of the pty behind <paramref name="master"/>; best effort (the process still runs on 0x0).</summary>
    public static void SetSize(SafeFileHandle master, WindowSize size)
    {
        bool added = false;
        master.DangerousAddRef(ref added);
        try
        {
            _ = ioctl((int)master.DangerousGetHandle(), Tiocswinsz, ref size);
        }
        finally
        {
            if (added) master.DangerousRelease();
        }
    }

    /// <summary>
    /// Orphaned descendants (the container's init once <c>runc run -d</c> exits) become this
    /// process's children, so it can wait for them and read their exit status.
    /// </summary>
    public static void BecomeSubreaper()
    {
        if (prctl(PrSetChildSubreaper, 1, 0, 0, 0) != 0)
            throw new ContainerStartException($"prctl(PR_SET_CHILD_SUBREAPER) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    /// <summary>Blocks until child <paramref name="pid"/> has exited, without reaping it (its pid stays reserved).</summary>
    public static void WaitExitedNoReap(int pid)
    {
        var info = new byte[128]; // siginfo_t
        while (waitid(PidType, pid, info, WExited | WNoWait) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno != Eintr) throw new InvalidOperationException($"waitid({pid}) failed: errno {errno}");
        }
    }

    /// <summary>Reaps exited child <paramref name="pid"/>; its exit code, 128 + N for a death by signal N (as runc and docker report).</summary>
    public static int Reap(int pid)
    {
        int status;
        while (waitpid(pid, out status, 0) < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno != Eintr) throw new InvalidOperationException($"waitpid({pid}) failed: errno {errno}");
        }
        int signal = status & 0x7f;
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal;
    }

    /// <summary>SIGKILL to <paramref name="pid"/> (a child not yet reaped, so the pid cannot have been reused).</summary>
    public static void Kill(int pid) => _ = kill(pid, Sigkill);

    /// <summary>Sends <paramref name="signal"/> (a Linux signal number) to <paramref name="pid"/>; a process already gone is not an error.</summary>
    public static void Signal(int pid, int signal) => _ = kill(pid, signal);

    /// <summary>Reads from a pty master; 0 once every holder of the slave side is gone (Linux reports that as EIO).</summary>
    public static unsafe int ReadMaster(SafeFileHandle master, Span<byte> buffer)
    {
        bool added = false;
        master.DangerousAddRef(ref added);
        try
        {
            fixed (byte* p = buffer)
            {
                while (true)
                {
                    nint n = read((int)master.DangerousGetHandle(), p, (nuint)buffer.Length);
                    if (n >= 0) return (int)n;
                    int errno = Marshal.GetLastPInvokeError();
                    if (errno == Eio) return 0;
                    if (errno == Eintr) continue;
                    throw new IOException($"reading the container's terminal failed: errno {errno}");
                }
            }
        }
        finally
        {
            if (added) master.DangerousRelease();
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int isatty(int fd);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int ioctl(int fd, nuint request, ref WindowSize size);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int waitid(int idType, int id, [Out] byte[] info, int options);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int waitpid(int pid, out int status, int options);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int signal);

    [LibraryImport("libc", SetLastError = true)]
    private static unsafe partial nint read(int fd, byte* buffer, nuint count);
}
