using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Xunit.Sdk;

namespace Strata.Analysis.Tests.EndToEnd;

/// <summary>
/// Debian's <c>chromium</c>, headless, driven over the DevTools protocol (one browser WebSocket,
/// one flattened page session). What a page reports is collected from the moment the page
/// session exists, before navigation: console.error/assert calls, uncaught exceptions, browser
/// log entries of level error (CSP violations, failed loads), and every network request.
/// Runs as root with --no-sandbox and its own --user-data-dir; killed and removed on dispose.
/// </summary>
internal sealed class HeadlessChromium : IAsyncDisposable
{
    public const string Binary = "/usr/bin/chromium";

    private readonly Process _process;
    private readonly TempDir _profile;
    private readonly ClientWebSocket _socket = new();
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonObject>> _pending = new();
    private readonly TaskCompletionSource _loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _gate = new();
    private readonly List<string> _errors = [];
    private readonly List<string> _requests = [];
    private Task? _reader;
    private string? _session;
    private int _nextId;

    private HeadlessChromium(Process process, TempDir profile)
    {
        _process = process;
        _profile = profile;
    }

    /// <summary>Console errors, uncaught exceptions and error log entries seen so far, one line each.</summary>
    public IReadOnlyList<string> Errors
    {
        get { lock (_gate) return [.. _errors]; }
    }

    /// <summary>URLs of every request the page made (the document itself included).</summary>
    public IReadOnlyList<string> Requests
    {
        get { lock (_gate) return [.. _requests]; }
    }

    public static async Task<HeadlessChromium> StartAsync(CancellationToken ct)
    {
        if (!File.Exists(Binary)) throw new XunitException($"{Binary} is missing: run scripts/install-deps.sh (package chromium)");
        var profile = new TempDir("strata-chromium-");
        var info = new ProcessStartInfo(Binary) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--no-default-browser-check", "--disable-extensions",
                     "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", "--user-data-dir=" + profile.Path, "about:blank" })
            info.ArgumentList.Add(a);
        var process = Process.Start(info)!;
        var browser = new HeadlessChromium(process, profile);
        var endpoint = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var log = new StringBuilder();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (log) log.AppendLine(e.Data);
            const string marker = "DevTools listening on ";
            int at = e.Data.IndexOf(marker, StringComparison.Ordinal);
            if (at >= 0) endpoint.TrySetResult(e.Data[(at + marker.Length)..].Trim());
        };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        var exited = process.WaitForExitAsync(ct);
        if (await Task.WhenAny(endpoint.Task, exited) != endpoint.Task)
        {
            await browser.DisposeAsync();
            lock (log) throw new XunitException("chromium did not open its DevTools endpoint: " + log);
        }
        await browser._socket.ConnectAsync(new Uri(await endpoint.Task), ct);
        browser._reader = Task.Run(() => browser.ReadAsync(CancellationToken.None), CancellationToken.None);
        var target = await browser.SendAsync("Target.createTarget", new JsonObject { ["url"] = "about:blank" }, ct, session: false);
        var attached = await browser.SendAsync("Target.attachToTarget", new JsonObject { ["targetId"] = (string)target["targetId"]!, ["flatten"] = true }, ct, session: false);
        browser._session = (string)attached["sessionId"]!;
        foreach (var domain in new[] { "Runtime.enable", "Log.enable", "Network.enable", "Page.enable" })
            await browser.SendAsync(domain, new JsonObject(), ct);
        return browser;
    }

    /// <summary>Sets the viewport, opens <paramref name="url"/> and waits for its load event.</summary>
    public async Task OpenAsync(string url, int width, int height, CancellationToken ct)
    {
        await SendAsync("Emulation.setDeviceMetricsOverride", new JsonObject { ["width"] = width, ["height"] = height, ["deviceScaleFactor"] = 1, ["mobile"] = false }, ct);
        var navigated = await SendAsync("Page.navigate", new JsonObject { ["url"] = url }, ct);
        if (navigated["errorText"] is { } error) throw new XunitException($"chromium could not open {url}: {error}");
        await _loaded.Task.WaitAsync(ct);
        // One more round trip: every event the page sent before it is read by now.
        await EvaluateAsync("0", ct);
    }

    /// <summary>Evaluates an expression in the page (awaiting a promise) and returns its JSON value.</summary>
    public async Task<JsonNode?> EvaluateAsync(string expression, CancellationToken ct)
    {
        var result = await SendAsync("Runtime.evaluate", new JsonObject { ["expression"] = expression, ["returnByValue"] = true, ["awaitPromise"] = true }, ct);
        if (result["exceptionDetails"] is { } details) throw new XunitException($"evaluating `{expression}` threw: {details.ToJsonString()}");
        return result["result"]!["value"]?.DeepClone();
    }

    /// <summary>A PNG of the viewport.</summary>
    public async Task<byte[]> ScreenshotAsync(CancellationToken ct) =>
        Convert.FromBase64String((string)(await SendAsync("Page.captureScreenshot", new JsonObject { ["format"] = "png" }, ct))["data"]!);

    private async Task<JsonObject> SendAsync(string method, JsonObject parameters, CancellationToken ct, bool session = true)
    {
        int id = Interlocked.Increment(ref _nextId);
        var reply = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = reply;
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters };
        if (session) message["sessionId"] = _session;
        await _socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, endOfMessage: true, ct);
        var answer = await reply.Task.WaitAsync(ct);
        if (answer["error"] is { } error) throw new XunitException($"DevTools {method} failed: {error.ToJsonString()}");
        return answer["result"]!.AsObject();
    }

    private async Task ReadAsync(CancellationToken ct)
    {
        var buffer = new byte[1 << 16];
        using var message = new MemoryStream();
        try
        {
            while (_socket.State == WebSocketState.Open)
            {
                var received = await _socket.ReceiveAsync(buffer, ct);
                if (received.MessageType == WebSocketMessageType.Close) break;
                message.Write(buffer, 0, received.Count);
                if (!received.EndOfMessage) continue;
                var json = JsonNode.Parse(message.ToArray())!.AsObject();
                message.SetLength(0);
                if (json["id"] is { } id && _pending.TryRemove((int)id, out var reply)) reply.TrySetResult(json);
                else if (json["method"] is { } method) OnEvent((string)method!, json["params"]?.AsObject());
            }
        }
        catch (WebSocketException)
        {
            // The browser went away (dispose); pending calls fail below.
        }
        foreach (var pending in _pending.Values) pending.TrySetException(new XunitException("the DevTools connection closed"));
    }

    private void OnEvent(string method, JsonObject? p)
    {
        string? Text(JsonNode? node) => node?.GetValueKind() == System.Text.Json.JsonValueKind.String ? node.GetValue<string>() : node?.ToJsonString();
        if (method == "Page.loadEventFired")
        {
            _loaded.TrySetResult();
        }
        else if (method == "Runtime.consoleAPICalled" && Text(p?["type"]) is "error" or "assert")
        {
            var args = p!["args"]!.AsArray().Select(a => Text(a?["value"]) ?? Text(a?["description"]) ?? "");
            Add(_errors, $"console.{Text(p["type"])}: {string.Join(' ', args)}");
        }
        else if (method == "Runtime.exceptionThrown")
        {
            var details = p?["exceptionDetails"];
            Add(_errors, "uncaught: " + (Text(details?["exception"]?["description"]) ?? Text(details?["text"])));
        }
        else if (method == "Log.entryAdded" && Text(p?["entry"]?["level"]) == "error")
        {
            Add(_errors, $"log ({Text(p!["entry"]!["source"])}): {Text(p["entry"]!["text"])}");
        }
        else if (method == "Network.requestWillBeSent")
        {
            Add(_requests, Text(p?["request"]?["url"]) ?? "");
        }
    }

    private void Add(List<string> list, string line)
    {
        lock (_gate) list.Add(line);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
            }
        }
        catch (WebSocketException)
        {
        }
        catch (OperationCanceledException)
        {
        }
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync(CancellationToken.None);
        _process.Dispose();
        if (_reader is not null) await _reader;
        _socket.Dispose();
        try
        {
            _profile.Dispose();
        }
        catch (IOException)
        {
            // A helper process of chromium still writing its profile: a leftover temp dir, not a failure.
        }
    }
}
