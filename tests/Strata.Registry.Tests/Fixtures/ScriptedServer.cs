using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Strata.Registry.Tests.Fixtures;

/// <summary>
/// A loopback HTTP server answering with a function the test gives: for what no real registry
/// can be made to do here (redirect a blob to another host, name a metadata address as realm).
/// Records each request's path and Authorization header.
/// </summary>
public sealed class ScriptedServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Func<HttpListenerRequest, HttpListenerResponse, byte[]?> _answer;

    public ScriptedServer(Func<HttpListenerRequest, HttpListenerResponse, byte[]?> answer)
    {
        _answer = answer;
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        Host = $"127.0.0.1:{port}";
        _listener.Prefixes.Add($"http://{Host}/");
        _listener.Start();
        _ = Task.Run(ServeAsync);
    }

    public string Host { get; }

    /// <summary>(path, Authorization or null) per request, in order.</summary>
    public ConcurrentQueue<(string Path, string? Authorization)> Seen { get; } = new();

    public void Dispose()
    {
        try
        {
            _listener.Stop();
            _listener.Close();
        }
        catch (HttpListenerException)
        {
            // The managed listener looks its port up again to let go of it; when another process
            // took the port meanwhile that fails, with nothing left to release.
        }
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }
            using var response = context.Response;
            Seen.Enqueue((context.Request.Url!.AbsolutePath, context.Request.Headers["Authorization"]));
            var body = _answer(context.Request, response);
            if (body is not null)
            {
                response.ContentLength64 = body.Length;
                await response.OutputStream.WriteAsync(body);
            }
        }
    }
}
