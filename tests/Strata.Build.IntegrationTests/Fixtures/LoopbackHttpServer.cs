using System.Diagnostics;

namespace Strata.Build.IntegrationTests.Fixtures;

/// <summary>
/// A real HTTP server on 127.0.0.1 (python3's http.server) serving <see cref="Directory"/>: it
/// sends Last-Modified and answers If-Modified-Since with 304, and logs every request (with its
/// status) to <see cref="LogPath"/>, which tests read to see what a build fetched.
/// </summary>
internal sealed class LoopbackHttpServer : IAsyncDisposable
{
    private readonly Process _process;

    private LoopbackHttpServer(Process process, string directory, int port, string logPath)
    {
        _process = process;
        Directory = directory;
        Port = port;
        LogPath = logPath;
    }

    public string Directory { get; }

    public int Port { get; }

    public string LogPath { get; }

    public string Url(string path) => $"http://127.0.0.1:{Port}/{path.TrimStart('/')}";

    /// <summary>Request lines logged so far, e.g. <c>"GET /a.txt HTTP/1.1" 304</c>.</summary>
    public IReadOnlyList<string> Requests() =>
        [.. ReadLog().Split('\n').Where(l => l.Contains("\"GET ", StringComparison.Ordinal)).Select(l => l[l.IndexOf('"', StringComparison.Ordinal)..].Trim())];

    public static async Task<LoopbackHttpServer> StartAsync(string directory)
    {
        System.IO.Directory.CreateDirectory(directory);
        int port = LoopbackService.FreePort();
        var log = Path.Combine(System.IO.Directory.GetParent(directory)!.FullName, Path.GetFileName(directory) + "-http.log");
        var psi = new ProcessStartInfo("/bin/sh")
        {
            UseShellExecute = false,
            ArgumentList = { "-c", $"exec python3 -u -m http.server --bind 127.0.0.1 --directory '{directory}' {port} >'{log}' 2>&1" },
        };
        var process = Process.Start(psi) ?? throw new InvalidOperationException("cannot start python3 -m http.server (python3 is needed)");
        var server = new LoopbackHttpServer(process, directory, port, log);
        await LoopbackService.WaitListeningAsync(process, port, "python3 http.server", () => Task.FromResult(server.ReadLog()));
        return server;
    }

    private string ReadLog()
    {
        using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    public async ValueTask DisposeAsync()
    {
        await LoopbackService.StopAsync(_process);
        _process.Dispose();
    }
}
