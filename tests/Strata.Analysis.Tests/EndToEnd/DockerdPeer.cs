using System.Diagnostics;

namespace Strata.Analysis.Tests.EndToEnd;

/// <summary>
/// A private dockerd (Debian docker.io) for the archive tests, as the build integration tests
/// start theirs: its own data root and socket, no iptables, no bridge. <see cref="SkipReason"/>
/// says why it could not start (not installed, not root), and the tests skip.
/// </summary>
public sealed class DockerdPeer : IAsyncLifetime
{
    private const string DockerBinary = "/usr/bin/docker";
    private Process? _dockerd;

    public string Root { get; } = Directory.CreateTempSubdirectory("strata-analyze-dockerd-").FullName;

    public string? SkipReason { get; private set; }

    private string Socket => Path.Combine(Root, "docker.sock");

    public async Task InitializeAsync()
    {
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
        var psi = new ProcessStartInfo("/usr/sbin/dockerd") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "--iptables=false", "--bridge=none", "--data-root", Path.Combine(Root, "data"), "--exec-root", Path.Combine(Root, "exec"),
                     "--pidfile", Path.Combine(Root, "dockerd.pid"), "-H", "unix://" + Socket })
            psi.ArgumentList.Add(a);
        _dockerd = Process.Start(psi)!;
        _ = _dockerd.StandardOutput.ReadToEndAsync();
        _ = _dockerd.StandardError.ReadToEndAsync();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            if (_dockerd.HasExited)
            {
                SkipReason = $"dockerd exited with {_dockerd.ExitCode} at start";
                return;
            }
            if (File.Exists(Socket) && (await DockerAsync("version")).ExitCode == 0) return;
            if (DateTime.UtcNow > deadline)
            {
                SkipReason = "dockerd did not answer within 60 s";
                return;
            }
            // dockerd offers no readiness event: poll its socket, as the build integration fixture does.
            await Task.Delay(250);
        }
    }

    /// <summary>The Debian docker client against the private daemon, BuildKit on.</summary>
    internal Task<StrataRun.Result> DockerAsync(params string[] args) =>
        StrataRun.RunAsync(DockerBinary, ["-H", "unix://" + Socket, .. args], null,
            new Dictionary<string, string> { ["DOCKER_BUILDKIT"] = "1", ["DOCKER_CONFIG"] = Path.Combine(Root, "docker-config") });

    public async Task DisposeAsync()
    {
        if (_dockerd is { HasExited: false } d)
        {
            // SIGTERM lets dockerd unmount its overlays before its data root is deleted.
            await StrataRun.RunAsync("/bin/kill", ["-TERM", d.Id.ToString()]);
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
            // A mount dockerd left behind: keep the folder rather than fail the run.
        }
    }
}
