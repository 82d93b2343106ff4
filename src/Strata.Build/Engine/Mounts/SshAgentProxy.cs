using System.Net.Sockets;
using Strata.Core.Unix;

namespace Strata.Build.Engine.Mounts;

/// <summary>
/// Forwards an SSH agent into one RUN step: a fresh Unix socket (with the mount's mode and owner)
/// that relays every connection to the agent's socket on the host. The step never sees where the
/// real agent lives, and the relay ends with the step.
/// </summary>
internal sealed class SshAgentProxy : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly string _agent;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _relays = [];
    private readonly Task _accepting;

    private SshAgentProxy(Socket listener, string agent, string path)
    {
        _listener = listener;
        _agent = agent;
        Path = path;
        _accepting = AcceptAsync();
    }

    /// <summary>The proxy socket on the host, bind-mounted into the container.</summary>
    public string Path { get; }

    public static SshAgentProxy Start(string agentSocket, string path, int mode, int uid, int gid)
    {
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            listener.Bind(new UnixDomainSocketEndPoint(path));
            listener.Listen(16);
            Libc.Lchown(path, uid, gid);
            Libc.Chmod(path, (uint)mode);
        }
        catch
        {
            listener.Dispose();
            throw;
        }
        return new SshAgentProxy(listener, agentSocket, path);
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            lock (_relays) _relays.Add(RelayAsync(client));
        }
    }

    private async Task RelayAsync(Socket client)
    {
        using (client)
        using (var upstream = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            try
            {
                await upstream.ConnectAsync(new UnixDomainSocketEndPoint(_agent), _stop.Token).ConfigureAwait(false);
                using var a = new NetworkStream(client, ownsSocket: false);
                using var b = new NetworkStream(upstream, ownsSocket: false);
                // Each direction passes its end-of-stream on (a half-close), so a client that
                // sends its request and shuts down writing still gets the agent's answer.
                await Task.WhenAll(CopyAsync(a, b, upstream), CopyAsync(b, a, client)).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException)
            {
                // The agent went away or the step ended: the client sees its connection close.
            }
        }
    }

    private async Task CopyAsync(Stream from, Stream to, Socket toSocket)
    {
        await from.CopyToAsync(to, _stop.Token).ConfigureAwait(false);
        toSocket.Shutdown(SocketShutdown.Send);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Dispose();
        await _accepting.ConfigureAwait(false);
        Task[] relays;
        lock (_relays) relays = [.. _relays];
        await Task.WhenAll(relays).ConfigureAwait(false);
        _stop.Dispose();
        File.Delete(Path);
    }
}
