using System.Diagnostics;
using Xunit.Sdk;

namespace Strata.Integration.Tests.Fixtures;

/// <summary>
/// A private dockerd for the run (its own data root, exec root and socket under /tmp; no
/// iptables, no bridge), the reference peer of the interop tests. Missing binaries fail the
/// tests; a daemon that is installed but cannot start here (no privileges, no overlay, no
/// cgroups) is the one case the tests skip, with dockerd's own words as the reason.
/// </summary>
public sealed class DockerDaemon : IAsyncLifetime
{
    private readonly string _dir = Path.Combine("/tmp", "strata-dockerd-" + Guid.NewGuid().ToString("N")[..8]);
    private Process? _process;

    /// <summary>Why dockerd did not start, or null when it runs.</summary>
    public string? UnavailableReason { get; private set; }

    private string Socket => Path.Combine(_dir, "docker.sock");

    private string LogFile => Path.Combine(_dir, "dockerd.log");

    public async Task InitializeAsync()
    {
        Tools.Require(Tools.Docker);
        Tools.Require(Tools.Dockerd);
        Directory.CreateDirectory(_dir);
        string[] daemonArgs =
        [
            "--iptables=false", "--bridge=none",
            "--data-root", Path.Combine(_dir, "data"), "--exec-root", Path.Combine(_dir, "exec"),
            "--pidfile", Path.Combine(_dir, "pid"), "-H", "unix://" + Socket,
        ];
        // sh only redirects dockerd's chatter to a file, then becomes dockerd (exec), so the pid is the daemon's.
        _process = ProcessRunner.Start("/bin/sh", ["-c", $"exec \"$0\" \"$@\" >>'{LogFile}' 2>&1", Tools.Dockerd, .. daemonArgs], new RunOptions());
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            if (_process.HasExited)
            {
                UnavailableReason = $"dockerd exited with {_process.ExitCode} at start: {Tail()}";
                break;
            }
            var version = await ProcessRunner.RunAsync(Tools.Docker, ["-H", "unix://" + Socket, "version", "--format", "{{.Server.Version}}"],
                ClientOptions() with { Timeout = TimeSpan.FromSeconds(20) });
            if (version.ExitCode == 0) break;
            if (DateTime.UtcNow > deadline)
            {
                UnavailableReason = $"dockerd did not answer on {Socket} within 60s: {version.Stderr.Trim()}; log: {Tail()}";
                break;
            }
            await Task.Delay(250);
        }
        if (UnavailableReason is not null)
        {
            await Console.Error.WriteLineAsync("[dockerd unavailable] " + UnavailableReason);
            await StopAsync();
        }
    }

    public async Task DisposeAsync() => await StopAsync();

    /// <summary>Skips the calling test when dockerd could not start (the one allowed skip).</summary>
    public void SkipIfUnavailable() => Skip.If(UnavailableReason is not null, "dockerd (the reference peer) cannot start here: " + UnavailableReason);

    /// <summary><c>/usr/bin/docker -H unix://SOCK ARGS</c>, with TZ=UTC and the legacy builder unless <paramref name="environment"/> says otherwise.</summary>
    public Task<ProcessResult> RunAsync(IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var options = ClientOptions();
        if (environment is not null)
        {
            var merged = new Dictionary<string, string?>(options.Environment);
            foreach (var (k, v) in environment) merged[k] = v;
            options = options with { Environment = merged };
        }
        return ProcessRunner.RunAsync(Tools.Docker, ["-H", "unix://" + Socket, .. arguments], options);
    }

    public async Task<string> OkAsync(params string[] arguments) => (await RunAsync(arguments)).EnsureSuccess().Stdout;

    private RunOptions ClientOptions() => new()
    {
        Timeout = TimeSpan.FromMinutes(2),
        Environment = new Dictionary<string, string?>
        {
            ["TZ"] = "UTC",
            ["DOCKER_HOST"] = null,
            ["DOCKER_CONFIG"] = Path.Combine(_dir, "client"),
            ["DOCKER_BUILDKIT"] = "0",
        },
    };

    private string Tail()
    {
        if (!File.Exists(LogFile)) return "(no log)";
        var lines = File.ReadAllLines(LogFile);
        return string.Join(" | ", lines.TakeLast(5));
    }

    private async Task StopAsync()
    {
        if (_process is { } p)
        {
            if (!p.HasExited)
            {
                // SIGTERM lets dockerd stop its containerd and unmount its layers before the directory goes.
                await ProcessRunner.RunAsync("/bin/kill", ["-TERM", p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)], new RunOptions());
                using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(20));
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
            _process = null;
        }
        if (Directory.Exists(_dir))
        {
            var rm = await ProcessRunner.RunAsync("/bin/rm", ["-rf", "--one-file-system", _dir], new RunOptions());
            if (rm.ExitCode != 0) throw new XunitException("cannot clean dockerd's directory: " + rm);
        }
    }
}
