using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Strata.Registry.Tests.Fixtures;

/// <summary>
/// A loopback TCP proxy in front of the real registry that passes HTTP/1.1 through byte for byte
/// and does to the requests a test names what no real registry can be made to do: answer 503 or
/// 429 with Retry-After instead of forwarding, reset the connection part-way through a response
/// body or a request body, drop a request's <c>Range</c> header, or hold requests until several
/// are in flight together. It works at the socket level
/// because a cut has to be a cut: an HTTP server API answers, it cannot break a body half-way.
/// Each fault is used once, in the order added. Every request is logged with its Range and
/// Content-Range.
/// </summary>
public sealed class FaultProxy : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly string _registryHost;
    private readonly List<ProxyFault> _faults = [];
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<TcpClient, bool> _open = new();

    /// <param name="registryHost">The registry's <c>127.0.0.1:PORT</c> (plain http).</param>
    public FaultProxy(string registryHost)
    {
        _registryHost = registryHost;
        _listener.Start();
        Host = $"127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";
        _ = Task.Run(AcceptAsync);
    }

    /// <summary><c>127.0.0.1:PORT</c> of the proxy.</summary>
    public string Host { get; }

    /// <summary>Requests seen, in the order they were read.</summary>
    public ConcurrentQueue<ProxiedRequest> Log { get; } = new();

    /// <summary>The next request whose path contains <paramref name="pathPart"/> is answered <paramref name="status"/>.</summary>
    public void Fail(string pathPart, HttpStatusCode status, string? retryAfter = null) => Add(new ProxyFault.Answer(pathPart, status, retryAfter));

    public void Add(ProxyFault fault)
    {
        lock (_gate) _faults.Add(fault);
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        foreach (var client in _open.Keys) client.Dispose();
        _stop.Dispose();
    }

    private ProxyFault? Take(string method, string path, string? contentRange, long? contentLength)
    {
        lock (_gate)
        {
            var fault = _faults.FirstOrDefault(f => f.Matches(method, path, contentRange, contentLength));
            if (fault is not null) _faults.Remove(fault);
            return fault;
        }
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        _open[client] = true;
        TcpClient? upstream = null;
        try
        {
            var clientStream = client.GetStream();
            var fromClient = new HttpWireReader(clientStream);
            NetworkStream? upstreamStream = null;
            HttpWireReader? fromUpstream = null;
            while (await fromClient.ReadHeadAsync(_stop.Token) is { } head)
            {
                var (method, target) = StartLine(head[0]);
                var path = target.Split('?')[0];
                var (length, chunked) = Framing(head);
                var range = Header(head, "Range");
                var contentRange = Header(head, "Content-Range");
                var fault = Take(method, path, contentRange, length);
                if (fault is ProxyFault.Answer answer)
                {
                    await fromClient.CopyBodyAsync(length ?? 0, chunked, _ => Task.CompletedTask, _stop.Token);
                    Log.Enqueue(new ProxiedRequest(method, path, range, contentRange, ((int)answer.Status).ToString(CultureInfo.InvariantCulture)));
                    var retryAfter = answer.RetryAfter is null ? "" : $"Retry-After: {answer.RetryAfter}\r\n";
                    using var reason = new HttpResponseMessage(answer.Status);
                    await clientStream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 {(int)answer.Status} {reason.ReasonPhrase}\r\n{retryAfter}Content-Length: 0\r\n\r\n"), _stop.Token);
                    continue;
                }
                if (upstream is null)
                {
                    upstream = new TcpClient();
                    var (host, port) = HostAndPort(_registryHost);
                    await upstream.ConnectAsync(host, port, _stop.Token);
                    upstreamStream = upstream.GetStream();
                    fromUpstream = new HttpWireReader(upstreamStream);
                }
                var gathered = fault is ProxyFault.Gather gather ? (await gather.Group.ArriveAsync(_stop.Token) ? " gathered" : " alone") : "";
                var forwarded = fault is ProxyFault.DropRange ? head.Where(l => !IsHeader(l, "Range")).ToList() : head;
                if (fault is ProxyFault.CutRequest cut)
                {
                    Log.Enqueue(new ProxiedRequest(method, path, range, contentRange, "cut"));
                    if (cut.ForwardPartial) await upstreamStream!.WriteAsync(HeadBytes(forwarded), _stop.Token);
                    long budget = cut.Bytes;
                    await CopyUntilCutAsync(() => fromClient.CopyBodyAsync(length ?? 0, chunked, async bytes =>
                    {
                        var slice = bytes[..(int)Math.Min(bytes.Length, budget)];
                        if (cut.ForwardPartial) await upstreamStream!.WriteAsync(slice, _stop.Token);
                        budget -= slice.Length;
                        if (budget == 0) throw new CutException();
                    }, _stop.Token));
                    if (cut.ForwardPartial)
                    {
                        // The registry sees its body end early and answers or closes; only then is the
                        // client cut, so what the registry kept is settled before the client asks.
                        upstream.Client.Shutdown(SocketShutdown.Send);
                        await upstreamStream!.CopyToAsync(Stream.Null, _stop.Token);
                    }
                    return;
                }
                await upstreamStream!.WriteAsync(HeadBytes(forwarded), _stop.Token);
                await fromClient.CopyBodyAsync(length ?? 0, chunked, bytes => upstreamStream.WriteAsync(bytes, _stop.Token).AsTask(), _stop.Token);
                var responseHead = await fromUpstream!.ReadHeadAsync(_stop.Token) ?? throw new IOException("the registry closed the connection without answering");
                var status = responseHead[0].Split(' ')[1];
                Log.Enqueue(new ProxiedRequest(method, path, range, contentRange, (fault is ProxyFault.CutResponse ? status + " cut" : status) + gathered));
                await clientStream.WriteAsync(HeadBytes(responseHead), _stop.Token);
                var (responseLength, responseChunked) = Framing(responseHead);
                bool bodiless = method == "HEAD" || status is "204" or "304" || status.StartsWith('1');
                if (fault is ProxyFault.CutResponse cutResponse)
                {
                    long budget = cutResponse.Bytes;
                    await CopyUntilCutAsync(() => fromUpstream.CopyBodyAsync(responseLength, responseChunked, async bytes =>
                    {
                        var slice = bytes[..(int)Math.Min(bytes.Length, budget)];
                        await clientStream.WriteAsync(slice, _stop.Token);
                        budget -= slice.Length;
                        if (budget == 0) throw new CutException();
                    }, _stop.Token));
                    // An orderly end: the client reads every byte sent, then a body shorter than announced.
                    client.Client.Shutdown(SocketShutdown.Send);
                    client.Dispose();
                    return;
                }
                if (!bodiless) await fromUpstream.CopyBodyAsync(responseLength, responseChunked, bytes => clientStream.WriteAsync(bytes, _stop.Token).AsTask(), _stop.Token);
                if (!bodiless && responseLength is null && !responseChunked) return;
                if (IsClose(head) || IsClose(responseHead)) return;
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client or the registry went away: so does this connection.
        }
        finally
        {
            Reset(client);
            if (upstream is not null) Reset(upstream);
            _open.TryRemove(client, out _);
        }
    }

    /// <summary>Runs a copy that ends in a <see cref="CutException"/> when its byte budget is spent; a cut that never comes (a shorter body) is a test mistake.</summary>
    private static async Task CopyUntilCutAsync(Func<Task> copy)
    {
        try
        {
            await copy();
        }
        catch (CutException)
        {
            return;
        }
        throw new IOException("the body ended before the byte the test asked to cut at");
    }

    /// <summary>An abortive close (RST), as a dropped connection looks to the peer: no orderly end of the body.</summary>
    private static void Reset(TcpClient client)
    {
        try
        {
            client.Client.LingerState = new LingerOption(true, 0);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Already closed.
        }
        client.Dispose();
    }

    private static (string Method, string Target) StartLine(string line)
    {
        var parts = line.Split(' ');
        return (parts[0], parts[1]);
    }

    private static (long? Length, bool Chunked) Framing(List<string> head)
    {
        bool chunked = Header(head, "Transfer-Encoding")?.Contains("chunked", StringComparison.OrdinalIgnoreCase) == true;
        long? length = Header(head, "Content-Length") is { } value ? long.Parse(value, CultureInfo.InvariantCulture) : null;
        return (chunked ? null : length, chunked);
    }

    private static bool IsClose(List<string> head) => Header(head, "Connection")?.Contains("close", StringComparison.OrdinalIgnoreCase) == true;

    private static bool IsHeader(string line, string name) =>
        line.Length > name.Length && line[name.Length] == ':' && line.StartsWith(name, StringComparison.OrdinalIgnoreCase);

    private static string? Header(List<string> head, string name) =>
        head.Skip(1).FirstOrDefault(l => IsHeader(l, name)) is { } line ? line[(name.Length + 1)..].Trim() : null;

    private static byte[] HeadBytes(List<string> head) => Encoding.ASCII.GetBytes(string.Join("\r\n", head) + "\r\n\r\n");

    private static (string Host, int Port) HostAndPort(string hostPort)
    {
        int colon = hostPort.LastIndexOf(':');
        return (hostPort[..colon], int.Parse(hostPort[(colon + 1)..], CultureInfo.InvariantCulture));
    }

    private sealed class CutException : Exception
    {
    }
}
