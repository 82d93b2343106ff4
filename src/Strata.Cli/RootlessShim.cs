using System.Globalization;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Strata.Cli;

/// <summary>
/// The small process the native start-up (Native/rootless_entry.c) leaves outside the user
/// namespace when the AOT strata entered it before the runtime started: this process talks to it
/// over two pipes it inherited. Only the outside sees a root-owned store as root's (inside it is
/// the overflow id), and only the outside may join a running container's namespaces.
/// </summary>
internal sealed class RootlessShim
{
    /// <summary>Set by the native start-up for the process it continues inside: "REQUESTS,REPLIES", the pipe descriptors.</summary>
    public const string Variable = "STRATA_ROOTLESS_OUTER";

    private readonly FileStream _requests;
    private readonly FileStream _replies;

    private RootlessShim(FileStream requests, FileStream replies)
    {
        _requests = requests;
        _replies = replies;
    }

    /// <summary>The shim this process was started under, or null (root, the re-exec path, the JIT build). The variable is removed so that nothing started later sees it.</summary>
    public static RootlessShim? FromEnvironment()
    {
        string? value = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrEmpty(value)) return null;
        Environment.SetEnvironmentVariable(Variable, null);
        string[] fds = value.Split(',');
        if (fds.Length != 2
            || !int.TryParse(fds[0], NumberStyles.None, CultureInfo.InvariantCulture, out int requests)
            || !int.TryParse(fds[1], NumberStyles.None, CultureInfo.InvariantCulture, out int replies))
            return null;
        return new RootlessShim(
            new FileStream(new SafeFileHandle(requests, ownsHandle: true), FileAccess.Write, bufferSize: 0),
            new FileStream(new SafeFileHandle(replies, ownsHandle: true), FileAccess.Read, bufferSize: 0));
    }

    /// <summary>The owner of <paramref name="path"/> seen from the host, or null when it does not exist.</summary>
    public long? OwnerOutside(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Contains('\n', StringComparison.Ordinal)) return null;
        Send("S" + path);
        var line = new StringBuilder();
        for (int b = _replies.ReadByte(); b is not (-1 or '\n'); b = _replies.ReadByte()) line.Append((char)b);
        return long.TryParse(line.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out long uid) ? uid : null;
    }

    /// <summary>Asks the shim to run this command again in the user and mount namespaces of <paramref name="pid"/> once this process has ended.</summary>
    public void RequestJoin(int pid) => Send("J" + pid.ToString(CultureInfo.InvariantCulture));

    private void Send(string line)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(line + "\n");
        _requests.Write(bytes);
        _requests.Flush();
    }
}
