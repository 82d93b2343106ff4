using System.Diagnostics;
using Xunit.Sdk;

namespace Strata.Registry.Tests.Fixtures;

/// <summary>
/// A private Debian dockerd (the pattern of the integration tests' DockerDaemon: its own data
/// root, exec root and socket under /tmp, no iptables, no bridge), the real peer that pulls
/// what strata pushes and pushes what strata pulls. 127.0.0.1 registries are insecure for
/// docker by default. A daemon that is installed but cannot start here is the one allowed skip.
/// </summary>
public sealed class DockerEngine : IAsyncLifetime
{
    public const string Docker = "/usr/bin/docker";
    public const string Dockerd = "/usr/sbin/dockerd";
    private readonly string _dir = Path.Combine("/tmp", "strata-regdockerd-" + Guid.NewGuid().ToString("N")[..8]);
    private Process? _process;

    public string? UnavailableReason { get; private set; }

    private string Socket => Path.Combine(_dir, "docker.sock");

    public async Task InitializeAsync()
    {
        foreach (var tool in new[] { Docker, Dockerd })
        {
            if (!File.Exists(tool)) throw new XunitException($"{tool} is missing: run scripts/install-deps.sh (package docker.io)");
        }
        Directory.CreateDirectory(_dir);
        var log = Path.Combine(_dir, "dockerd.log");
        string[] daemonArgs =
        [
            "--iptables=false", "--bridge=none",
            "--data-root", Path.Combine(_dir, "data"), "--exec-root", Path.Combine(_dir, "exec"),
            "--pidfile", Path.Combine(_dir, "pid"), "-H", "unix://" + Socket,
        ];
        var info = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        foreach (var a in (string[])["-c", $"exec \"$0\" \"$@\" >>'{log}' 2>&1", Dockerd, .. daemonArgs]) info.ArgumentList.Add(a);
        _process = Process.Start(info)!;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            if (_process.HasExited)
            {
                UnavailableReason = $"dockerd exited with {_process.ExitCode} at start: {Tail(log)}";
                break;
            }
            var version = await RunAsync("version", "--format", "{{.Server.Version}}");
            if (version.ExitCode == 0) break;
            if (DateTime.UtcNow > deadline)
            {
                UnavailableReason = $"dockerd did not answer within 60s: {version.Stderr.Trim()}";
                break;
            }
            // dockerd offers no readiness event to wait on: its API answering is the event, polled.
            await Task.Delay(250);
        }
    }

    public void SkipIfUnavailable() => Skip.If(UnavailableReason is not null, "dockerd cannot start here: " + UnavailableReason);

    public Task<ProcessResult> RunAsync(params string[] arguments) =>
        Tool.RunAsync(Docker, ["-H", "unix://" + Socket, .. arguments], new Dictionary<string, string?>
        {
            ["DOCKER_HOST"] = null,
            ["DOCKER_CONFIG"] = Path.Combine(_dir, "client"),
        });

    public async Task<string> OkAsync(params string[] arguments) => (await RunAsync(arguments)).EnsureSuccess().Stdout;

    public async Task DisposeAsync()
    {
        if (_process is { } p)
        {
            if (!p.HasExited)
            {
                // SIGTERM lets dockerd stop its containerd and unmount its layers before the directory goes.
                await Tool.RunAsync("/bin/kill", ["-TERM", p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
                using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                try
                {
                    await p.WaitForExitAsync(grace.Token);
                }
                catch (OperationCanceledException)
                {
                    p.Kill(entireProcessTree: true);
                    await p.WaitForExitAsync();
                }
            }
            p.Dispose();
        }
        if (Directory.Exists(_dir)) await Tool.RunAsync("/bin/rm", ["-rf", "--one-file-system", _dir]);
    }

    private static string Tail(string log) => File.Exists(log) ? string.Join(" | ", File.ReadAllLines(log).TakeLast(5)) : "(no log)";
}
