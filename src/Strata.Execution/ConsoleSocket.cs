using System.Net.Sockets;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Strata.Execution;

/// <summary>
/// runc's <c>--console-socket</c>: a unix socket in a private (0700) temporary directory on
/// which the runtime sends the master side of the container's pty (SCM_RIGHTS, with the pty's
/// name as the payload). Whoever holds the master owns the terminal: reading it is the
/// process's output, and keeping it open keeps a shell on it from seeing a hangup.
/// </summary>
internal sealed partial class ConsoleSocket : IDisposable
{
    private const int SolSocket = 1;
    private const int ScmRights = 1;
    private const int MsgCmsgCloexec = 0x40000000;
    private const int Eintr = 4;
    private const int Eagain = 11;

    private readonly DirectoryInfo _directory;
    private readonly Socket _listener;

    private ConsoleSocket(DirectoryInfo directory, Socket listener)
    {
        _directory = directory;
        _listener = listener;
    }

    /// <summary>The socket's path, for <c>--console-socket</c>.</summary>
    public string SocketPath => Path.Combine(_directory.FullName, "console.sock");

    /// <summary>The private directory the socket lives in; also a home for the run's pid file.</summary>
    public string Directory => _directory.FullName;

    public static ConsoleSocket Listen()
    {
        // A short path: sun_path holds 108 bytes, too few for a bundle under a deep store root.
        var directory = System.IO.Directory.CreateTempSubdirectory("strata-console-");
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            listener.Bind(new UnixDomainSocketEndPoint(Path.Combine(directory.FullName, "console.sock")));
            listener.Listen(1);
            return new ConsoleSocket(directory, listener);
        }
        catch
        {
            listener.Dispose();
            directory.Delete(recursive: true);
            throw;
        }
    }

    /// <summary>Accepts the runtime's connection and receives the pty master (close-on-exec).</summary>
    public async Task<SafeFileHandle> ReceiveMasterAsync(CancellationToken ct)
    {
        using var connection = await _listener.AcceptAsync(ct).ConfigureAwait(false);
        return ReceiveFd(connection);
    }

    private static unsafe SafeFileHandle ReceiveFd(Socket connection)
    {
        const int DataSize = 4096;
        const int ControlSize = 64;
        byte* data = stackalloc byte[DataSize];
        byte* control = stackalloc byte[ControlSize];
        new Span<byte>(control, ControlSize).Clear();
        var iov = new IoVector { Base = data, Length = DataSize };
        var message = new MessageHeader { Iov = &iov, IovLength = 1, Control = control, ControlLength = ControlSize };
        nint received;
        while ((received = recvmsg((int)connection.SafeHandle.DangerousGetHandle(), &message, MsgCmsgCloexec)) < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno == Eintr) continue;
            // .NET may have made the accepted socket non-blocking: wait for the message instead.
            if (errno == Eagain && connection.Poll(TimeSpan.FromSeconds(30), SelectMode.SelectRead)) continue;
            throw new ContainerStartException($"receiving the container's terminal on {connection.LocalEndPoint} failed: errno {errno}");
        }
        if (received == 0)
            throw new ContainerStartException("the runtime closed its console socket without sending the container's terminal");
        // struct cmsghdr { size_t len; int level; int type; } then the descriptors (64-bit layout).
        ulong length = *(ulong*)control;
        int level = *(int*)(control + 8);
        int type = *(int*)(control + 12);
        if (message.ControlLength < 20 || length < 20 || level != SolSocket || type != ScmRights)
            throw new ContainerStartException("the runtime's console socket message carried no terminal descriptor");
        return new SafeFileHandle(*(int*)(control + 16), ownsHandle: true);
    }

    public void Dispose()
    {
        _listener.Dispose();
        try
        {
            _directory.Delete(recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private unsafe struct IoVector
    {
        public byte* Base;
        public nuint Length;
    }

    [StructLayout(LayoutKind.Sequential)]
    private unsafe struct MessageHeader
    {
        public void* Name;
        public uint NameLength;
        public IoVector* Iov;
        public nuint IovLength;
        public byte* Control;
        public nuint ControlLength;
        public int Flags;
    }

    [LibraryImport("libc", SetLastError = true)]
    private static unsafe partial nint recvmsg(int fd, MessageHeader* message, int flags);
}
