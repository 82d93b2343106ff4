using System.Diagnostics;

namespace Strata.Build.IntegrationTests.Fixtures;

/// <summary>
/// One private dockerd (Debian docker.io 20.10, BuildKit 0.8) for the whole collection, plus one
/// strata store, both holding the same busybox base as <c>base:1</c>: imported into strata from
/// a directory, then moved to docker by <c>strata save | docker load</c>. When dockerd cannot
/// start (no binary, not root, no overlay) <see cref="SkipReason"/> says why and the tests skip.
/// </summary>
public sealed class DockerdFixture : IAsyncLifetime
{
    public const string DockerBinary = "/usr/bin/docker";
    public const string BaseImage = "base:1";
    private Process? _dockerd;

    public string Root { get; } = Directory.CreateTempSubdirectory("strata-bt-").FullName;

    internal string Socket => Path.Combine(Root, "docker.sock");

    /// <summary>Why the differential tests cannot run here, or null.</summary>
    public string? SkipReason { get; private set; }

    internal StrataCli Strata { get; private set; } = null!;

    internal string BaseRootfs => Path.Combine(Root, "base-rootfs");

    public async Task InitializeAsync()
    {
        Strata = new StrataCli(Path.Combine(Root, "store"));
        BusyboxRootfs.Create(BaseRootfs);
        (await Strata.RunAsync("import", BaseRootfs, BaseImage)).EnsureSuccess();

        if (!File.Exists("/usr/sbin/dockerd") || !File.Exists(DockerBinary))
        {
            SkipReason = "dockerd or /usr/bin/docker is not installed (Debian package docker.io)";
            return;
        }
        if (Environment.UserName != "root")
        {
            SkipReason = "dockerd needs root";
            return;
        }
        var psi = new ProcessStartInfo("/usr/sbin/dockerd")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "--iptables=false", "--bridge=none", "--data-root", Path.Combine(Root, "data"), "--exec-root", Path.Combine(Root, "exec"),
                     "--pidfile", Path.Combine(Root, "dockerd.pid"), "-H", "unix://" + Socket })
            psi.ArgumentList.Add(a);
        _dockerd = Process.Start(psi)!;
        var log = Path.Combine(Root, "dockerd.log");
        _ = DrainAsync(_dockerd.StandardOutput, log);
        _ = DrainAsync(_dockerd.StandardError, log);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            if (_dockerd.HasExited)
            {
                SkipReason = $"dockerd exited with {_dockerd.ExitCode} at start; see {log}";
                return;
            }
            if (File.Exists(Socket) && (await DockerAsync("version")).ExitCode == 0) break;
            if (DateTime.UtcNow > deadline)
            {
                SkipReason = $"dockerd did not answer within 60 s; see {log}";
                return;
            }
            await Task.Delay(250);
        }
        var baseTar = Path.Combine(Root, "base.tar");
        (await Strata.RunAsync(["save", BaseImage], null, stdoutFile: baseTar)).EnsureSuccess();
        (await DockerAsync(["load", "-i", baseTar])).EnsureSuccess();
    }

    private static readonly Lock LogLock = new();

    private static async Task DrainAsync(StreamReader reader, string log)
    {
        string? line;
        while ((line = await reader.ReadLineAsync()) is not null)
            lock (LogLock) File.AppendAllText(log, line + "\n");
    }

    /// <summary>Runs the Debian docker client against the private daemon with BuildKit on.</summary>
    internal Task<ProcessResult> DockerAsync(IEnumerable<string> args, string? workingDirectory = null, string? stdinFile = null) =>
        CliRunner.RunAsync(DockerBinary, ["-H", "unix://" + Socket, .. args], workingDirectory,
            new Dictionary<string, string?> { ["DOCKER_BUILDKIT"] = "1", ["DOCKER_CONFIG"] = Path.Combine(Root, "docker-config") },
            stdinFile: stdinFile, timeout: TimeSpan.FromMinutes(3));

    internal Task<ProcessResult> DockerAsync(params string[] args) => DockerAsync((IEnumerable<string>)args);

    public async Task DisposeAsync()
    {
        if (_dockerd is { HasExited: false } d)
        {
            // SIGTERM lets dockerd unmount its overlays before we delete its data root.
            await CliRunner.RunAsync("/bin/kill", "-TERM", d.Id.ToString());
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try { await d.WaitForExitAsync(cts.Token); }
            catch (OperationCanceledException) { d.Kill(entireProcessTree: true); }
        }
        _dockerd?.Dispose();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A mount dockerd left behind: keep the folder rather than fail every test.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
