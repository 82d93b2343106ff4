using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Xunit.Sdk;

namespace Strata.Testing;

/// <summary>
/// A real Debian <c>docker-registry</c> (distribution 2.8) on 127.0.0.1 with its storage in a
/// temp directory (a <see cref="TempDir"/>): started from a config this fixture writes, ready once it logs that it listens
/// and <c>GET /v2/</c> answers, killed and removed on dispose. Subclasses add TLS and an auth section.
/// </summary>
public class RegistryServer : IAsyncLifetime
{
    public const string Binary = "/usr/bin/docker-registry";
    private readonly TempDir _temp = new("strata-registry-");
    private Process? _process;

    /// <summary><c>127.0.0.1:PORT</c>.</summary>
    public string Host { get; private set; } = "";

    public string Directory => _temp.Path;

    private string Dir => _temp.Path;

    /// <summary>Extra top-level YAML (an <c>auth:</c> section), given the fixture's directory.</summary>
    protected virtual string AuthYaml(string directory) => "";

    /// <summary>The TLS certificate and key (PEM files) to serve with, or null for plain http.</summary>
    protected virtual (string Certificate, string Key)? Tls(string directory) => null;

    /// <summary>https or http.</summary>
    public string Scheme { get; private set; } = "http";

    public async Task InitializeAsync()
    {
        if (!File.Exists(Binary)) throw new XunitException($"{Binary} is missing: run scripts/install-deps.sh (package docker-registry)");
        int port = FreePort();
        Host = $"127.0.0.1:{port}";
        var config = Path.Combine(Dir, "config.yml");
        var tls = Tls(Dir);
        Scheme = tls is null ? "http" : "https";
        var tlsYaml = tls is { } t ? $"\n  tls:\n    certificate: {t.Certificate}\n    key: {t.Key}" : "";
        await File.WriteAllTextAsync(config, $"""
            version: 0.1
            log:
              level: info
              accesslog:
                disabled: true
            storage:
              filesystem:
                rootdirectory: {Path.Combine(Dir, "data")}
              delete:
                enabled: true
            http:
              addr: {Host}{tlsYaml}
            {AuthYaml(Dir)}
            """);
        var info = new ProcessStartInfo(Binary) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        info.ArgumentList.Add("serve");
        info.ArgumentList.Add(config);
        _process = Process.Start(info)!;
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var log = new System.Text.StringBuilder();
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
            string text;
            lock (log) text = log.ToString();
            throw new XunitException($"docker-registry did not start on {Host}: {text}");
        }
        // Test-only: the readiness probe does not check the test CA; strata's own requests do.
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true };
        using var http = new HttpClient(handler);
        using var answer = await http.GetAsync(new Uri($"{Scheme}://{Host}/v2/"), timeout.Token);
        if (answer.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.Unauthorized))
            throw new XunitException($"docker-registry on {Host} answers GET /v2/ with {(int)answer.StatusCode}");
    }

    public virtual async Task DisposeAsync()
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
        _temp.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
