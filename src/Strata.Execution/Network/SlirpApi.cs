using System.Globalization;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Microsoft.Win32.SafeHandles;
using Strata.Core.Unix;

namespace Strata.Execution.Network;

/// <summary>
/// slirp4netns's API socket: one JSON request per connection, one JSON reply
/// (<c>{"return": ...}</c> or <c>{"error": {"desc": ...}}</c>), then the server closes.
/// </summary>
internal static partial class SlirpApi
{
    private const int OPath = 0x200000;
    private const int ODirectory = 0x10000;
    private const int OCloexec = 0x80000;

    /// <summary>
    /// <c>add_hostfwd</c>: the host listens on <see cref="PublishedPort.HostIp"/>:<see cref="PublishedPort.HostPort"/>
    /// and forwards to the container's address (10.0.2.100, slirp4netns's default guest) on
    /// <see cref="PublishedPort.ContainerPort"/>.
    /// </summary>
    /// <exception cref="ContainerStartException">slirp4netns refused (typically: the host port is taken).</exception>
    public static async Task AddHostForwardAsync(string directory, string socketName, PublishedPort port, CancellationToken ct)
    {
        var request = new MemoryStream();
        using (var json = new Utf8JsonWriter(request))
        {
            json.WriteStartObject();
            json.WriteString("execute", "add_hostfwd");
            json.WriteStartObject("arguments");
            json.WriteString("proto", port.Protocol);
            json.WriteString("host_addr", port.HostIp);
            json.WriteNumber("host_port", port.HostPort);
            json.WriteNumber("guest_port", port.ContainerPort);
            json.WriteEndObject();
            json.WriteEndObject();
        }
        var reply = await CallAsync(directory, socketName, request.ToArray(), ct).ConfigureAwait(false);
        string? error;
        try
        {
            using var doc = JsonDocument.Parse(reply);
            error = doc.RootElement.TryGetProperty("error", out var e)
                ? e.TryGetProperty("desc", out var desc) ? desc.GetString() ?? "error" : e.ToString()
                : doc.RootElement.TryGetProperty("return", out _) ? null : reply;
        }
        catch (JsonException)
        {
            error = reply.Length == 0 ? "no reply" : reply;
        }
        if (error is not null)
            throw new ContainerStartException(string.Create(CultureInfo.InvariantCulture, $"cannot publish {port}: slirp4netns: {error} (is the host port in use?)"));
    }

    private static async Task<string> CallAsync(string directory, string socketName, byte[] request, CancellationToken ct)
    {
        // The socket is reached through a descriptor of its directory: /proc/self/fd/N/NAME is
        // short whatever the directory's path, which a socket address could not hold.
        using var dir = OpenPath(directory);
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint($"/proc/self/fd/{dir.DangerousGetHandle()}/{socketName}"), ct).ConfigureAwait(false);
        await socket.SendAsync(request, SocketFlags.None, ct).ConfigureAwait(false);
        var reply = new MemoryStream();
        var buffer = new byte[4096];
        int n;
        while ((n = await socket.ReceiveAsync(buffer, SocketFlags.None, ct).ConfigureAwait(false)) > 0) reply.Write(buffer, 0, n);
        return Encoding.UTF8.GetString(reply.ToArray()).Trim();
    }

    private static SafeFileHandle OpenPath(string directory)
    {
        int fd = open(directory, OPath | ODirectory | OCloexec);
        if (fd < 0) throw new UnixException(Marshal.GetLastPInvokeError(), "open", directory);
        return new SafeFileHandle(fd, ownsHandle: true);
    }

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int open(string path, int flags);
}
