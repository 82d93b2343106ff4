using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Strata.Registry.Tests.Fixtures;

/// <summary>
/// A loopback front of the real registry that answers the first requests of a path with the
/// faults a test scripts (429 with Retry-After, 503...) and forwards everything else to the
/// registry as is: the in-process part is only what no real registry can be made to do.
/// </summary>
public sealed class FaultFront : IDisposable
{
    private static readonly string[] Forwarded = ["Content-Type", "Docker-Content-Digest", "Location", "WWW-Authenticate", "Range", "Docker-Distribution-Api-Version"];
    private readonly HttpListener _listener = new();
    private readonly HttpClient _registry = new(new SocketsHttpHandler { AllowAutoRedirect = false });
    private readonly string _origin;
    private readonly ConcurrentQueue<(string PathPart, HttpStatusCode Status, string? RetryAfter)> _faults = new();

    public FaultFront(string registryHost)
    {
        _origin = $"http://{registryHost}";
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

    /// <summary>Requests seen, as <c>METHOD PATH -> STATUS</c>, in order.</summary>
    public ConcurrentQueue<string> Log { get; } = new();

    /// <summary>The next request whose path contains <paramref name="pathPart"/> gets <paramref name="status"/> (faults are used in the order added).</summary>
    public void Fail(string pathPart, HttpStatusCode status, string? retryAfter = null) => _faults.Enqueue((pathPart, status, retryAfter));

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _registry.Dispose();
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
            _ = Task.Run(() => AnswerAsync(context));
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        using var response = context.Response;
        var path = context.Request.Url!.PathAndQuery;
        if (_faults.TryPeek(out var fault) && path.Contains(fault.PathPart, StringComparison.Ordinal) && _faults.TryDequeue(out fault))
        {
            Log.Enqueue($"{context.Request.HttpMethod} {context.Request.Url.AbsolutePath} -> {(int)fault.Status}");
            response.StatusCode = (int)fault.Status;
            if (fault.RetryAfter is not null) response.Headers["Retry-After"] = fault.RetryAfter;
            return;
        }
        using var forward = new HttpRequestMessage(new HttpMethod(context.Request.HttpMethod), _origin + path);
        foreach (var name in context.Request.Headers.AllKeys.OfType<string>())
        {
            if (name is "Host" or "Content-Length" or "Content-Type" or "Connection") continue;
            forward.Headers.TryAddWithoutValidation(name, context.Request.Headers.GetValues(name)!);
        }
        if (context.Request.HasEntityBody)
        {
            var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            forward.Content = new ByteArrayContent(body.ToArray());
            if (context.Request.ContentType is { } type) forward.Content.Headers.TryAddWithoutValidation("Content-Type", type);
        }
        using var answer = await _registry.SendAsync(forward);
        Log.Enqueue($"{context.Request.HttpMethod} {context.Request.Url.AbsolutePath} -> {(int)answer.StatusCode}");
        response.StatusCode = (int)answer.StatusCode;
        foreach (var name in Forwarded)
        {
            if (answer.Headers.TryGetValues(name, out var values) || answer.Content.Headers.TryGetValues(name, out values))
                response.Headers[name] = string.Join(", ", values);
        }
        var bytes = await answer.Content.ReadAsByteArrayAsync();
        if (context.Request.HttpMethod == "HEAD")
        {
            if (answer.Content.Headers.ContentLength is long length) response.ContentLength64 = length;
            return;
        }
        response.ContentLength64 = bytes.Length;
        await response.OutputStream.WriteAsync(bytes);
    }
}
