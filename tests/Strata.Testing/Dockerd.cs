using System.Diagnostics;
using System.Globalization;
using Xunit.Sdk;

namespace Strata.Testing;

/// <summary>
/// A private Debian dockerd, the reference engine of the differential and interop tests: its own
/// data root, exec root and socket in a <see cref="TempDir"/>, no iptables, no bridge (127.0.0.1
/// registries are insecure for it by default). One skip policy for every test project: a missing
/// docker or dockerd fails the tests (scripts/install-deps.sh installs them); a daemon that is
/// installed but cannot start here (not root, no overlay, no cgroups) is the one case the tests
/// skip, with dockerd's own last words as the reason, printed to stderr as well.
/// </summary>
public sealed class Dockerd : IAsyncLifetime
{
    /// <summary>The Debian docker client; /usr/local/bin/docker may be another client without an engine.</summary>
    public const string Docker = "/usr/bin/docker";
    public const string DaemonBinary = "/usr/sbin/dockerd";
    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(60);
    private readonly DockerdOptions _options;
    private readonly TempDir _dir = new("strata-dockerd-");
    private Process? _process;

    /// <summary>The fixture xunit makes (one public constructor): the legacy builder.</summary>
    public Dockerd()
        : this(new DockerdOptions())
    {
    }

    private Dockerd(DockerdOptions options) => _options = options;

    /// <summary>A daemon whose client uses <paramref name="options"/>, for a fixture that owns it.</summary>
    public static Dockerd Create(DockerdOptions options) => new(options);

    /// <summary>Why dockerd did not start, or null when it runs.</summary>
    public string? UnavailableReason { get; private set; }

    /// <summary>The daemon's socket (<c>unix://</c> + this is its DOCKER_HOST).</summary>
    public string Socket => _dir.PathOf("docker.sock");

    private string LogFile => _dir.PathOf("dockerd.log");

    public async Task InitializeAsync()
    {
        foreach (var tool in new[] { Docker, DaemonBinary })
        {
            if (!File.Exists(tool)) throw new XunitException($"{tool} is missing: run scripts/install-deps.sh (package docker.io)");
        }
        string[] daemonArgs =
        [
            "--iptables=false", "--bridge=none",
            "--data-root", _dir.PathOf("data"), "--exec-root", _dir.PathOf("exec"),
            "--pidfile", _dir.PathOf("pid"), "-H", "unix://" + Socket,
        ];
        // sh only sends dockerd's chatter to a file, then becomes dockerd (exec), so the pid is the daemon's.
        _process = ProcessRunner.Start("/bin/sh", ["-c", $"exec \"$0\" \"$@\" >>'{LogFile}' 2>&1", DaemonBinary, .. daemonArgs], new RunOptions());
        var deadline = DateTime.UtcNow + StartDeadline;
        while (true)
        {
            if (_process.HasExited)
            {
                UnavailableReason = $"dockerd exited with {_process.ExitCode} at start: {Tail()}";
                break;
            }
            var version = await RunAsync(["version", "--format", "{{.Server.Version}}"], new RunOptions { Timeout = TimeSpan.FromSeconds(20) });
            if (version.ExitCode == 0) break;
            if (DateTime.UtcNow > deadline)
            {
                UnavailableReason = $"dockerd did not answer on {Socket} within {StartDeadline.TotalSeconds:0} s: {version.Stderr.Trim()}; log: {Tail()}";
                break;
            }
            // dockerd offers no readiness event to wait on: its API answering is the event, polled.
            await Task.Delay(250);
        }
        if (UnavailableReason is not null)
        {
            await Console.Error.WriteLineAsync("[dockerd unavailable: the tests that need it skip] " + UnavailableReason);
            await StopAsync();
        }
    }

    public async Task DisposeAsync() => await StopAsync();

    /// <summary>Skips the calling test when dockerd could not start (the one allowed skip).</summary>
    public void SkipIfUnavailable() => Skip.If(UnavailableReason is not null, "dockerd (the reference engine) cannot start here: " + UnavailableReason);

    /// <summary>
    /// <c>/usr/bin/docker -H unix://SOCK ARGS</c> with TZ=UTC, a client config of its own and the
    /// builder the options chose; <paramref name="options"/>' environment is set over those.
    /// </summary>
    public Task<ProcessResult> RunAsync(IReadOnlyList<string> arguments, RunOptions? options = null)
    {
        var client = new RunOptions
        {
            Environment = new Dictionary<string, string?>
            {
                ["TZ"] = "UTC",
                ["DOCKER_HOST"] = null,
                ["DOCKER_CONFIG"] = _dir.PathOf("client"),
                ["DOCKER_BUILDKIT"] = _options.BuildKit ? "1" : "0",
            },
        };
        var merged = options is null ? client : options with { Environment = client.WithEnvironment(options.Environment).Environment };
        return ProcessRunner.RunAsync(Docker, ["-H", "unix://" + Socket, .. arguments], merged);
    }

    public Task<ProcessResult> RunAsync(params string[] arguments) => RunAsync(arguments, null);

    public async Task<string> OkAsync(params string[] arguments) => (await RunAsync(arguments, null)).EnsureSuccess().Stdout;

    private string Tail() => File.Exists(LogFile) ? string.Join(" | ", File.ReadAllLines(LogFile).TakeLast(5)) : "(no log)";

    private async Task StopAsync()
    {
        if (_process is { } p)
        {
            if (!p.HasExited)
            {
                // SIGTERM lets dockerd stop its containerd and unmount its layers before the directory goes.
                await ProcessRunner.RunAsync("/bin/kill", "-TERM", p.Id.ToString(CultureInfo.InvariantCulture));
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
            _process = null;
        }
        _dir.Dispose();
    }
}
