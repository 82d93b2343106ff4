using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Xunit.Sdk;

namespace Strata.Analysis.Tests.EndToEnd;

/// <summary>
/// A real Debian <c>docker-registry</c> (distribution 2.8) on 127.0.0.1, plain http, storage in a
/// temp directory; ready once it logs that it listens and <c>GET /v2/</c> answers. The minimal
/// form of Strata.Registry.Tests' RegistryServer (test projects do not reference each other).
/// </summary>
public sealed class LocalRegistry : IAsyncLifetime
{
    public const string Binary = "/usr/bin/docker-registry";
    private readonly string _dir = Directory.CreateTempSubdirectory("strata-analyze-registry-").FullName;
    private Process? _process;

    /// <summary><c>127.0.0.1:PORT</c>.</summary>
    public string Host { get; private set; } = "";

    public async Task InitializeAsync()
    {
        if (!File.Exists(Binary)) throw new XunitException($"{Binary} is missing: run scripts/install-deps.sh (package docker-registry)");
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            Host = $"127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";
        }
        var config = Path.Combine(_dir, "config.yml");
        await File.WriteAllTextAsync(config, $"""
            version: 0.1
            log:
              level: info
              accesslog:
                disabled: true
            storage:
              filesystem:
                rootdirectory: {Path.Combine(_dir, "data")}
            http:
              addr: {Host}
            """);
        var info = new ProcessStartInfo(Binary) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        info.ArgumentList.Add("serve");
        info.ArgumentList.Add(config);
        _process = Process.Start(info)!;
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var log = new StringBuilder();
        void OnLine(object? sender, DataReceivedEventArgs e)
        {
            if (e.Data is null) return;
            lock (log) log.AppendLine(e.Data);
            if (e.Data.Contains("listening on", StringComparison.Ordinal)) listening.TrySetResult();
        }
        _process.ErrorDataReceived += OnLine;
        _process.OutputDataReceived += OnLine;
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var exited = _process.WaitForExitAsync(timeout.Token);
        if (await Task.WhenAny(listening.Task, exited) != listening.Task)
        {
            lock (log) throw new XunitException($"docker-registry did not start on {Host}: {log}");
        }
        using var http = new HttpClient();
        using var answer = await http.GetAsync(new Uri($"http://{Host}/v2/"), timeout.Token);
        if (answer.StatusCode != HttpStatusCode.OK) throw new XunitException($"docker-registry on {Host} answers GET /v2/ with {(int)answer.StatusCode}");
    }

    public async Task DisposeAsync()
    {
        if (_process is { } p)
        {
            if (!p.HasExited)
            {
                p.Kill(entireProcessTree: true);
                await p.WaitForExitAsync();
            }
            p.Dispose();
        }
        Directory.Delete(_dir, recursive: true);
    }
}
