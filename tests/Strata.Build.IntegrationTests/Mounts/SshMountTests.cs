using System.Text.RegularExpressions;
using Strata.Build.IntegrationTests.Fixtures;

namespace Strata.Build.IntegrationTests.Mounts;

/// <summary>
/// RUN --mount=type=ssh against a real ssh-agent holding a real key: the host's own ssh-add,
/// run inside the step (with its libraries from a bind mount), lists the same key through the
/// forwarded socket that SSH_AUTH_SOCK names.
/// </summary>
public sealed partial class SshMountTests : IClassFixture<BaseStore>
{
    private readonly BaseStore _base;

    public SshMountTests(BaseStore store) => _base = store;

    [Fact]
    public async Task Ssh_mount_forwards_the_agent_so_ssh_add_in_the_step_lists_the_hosts_key()
    {
        var strata = await _base.NewStoreAsync("ssh");
        var work = Path.Combine(_base.Root, "ssh-work");
        var build = new MountBuild(strata, work);
        var key = Path.Combine(work, "id_ed25519");
        (await ProcessRunner.RunAsync("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "strata-test-key", "-f", key)).EnsureSuccess();
        var socket = Path.Combine(work, "agent.sock");
        var agent = (await ProcessRunner.RunAsync("ssh-agent", "-s", "-a", socket)).EnsureSuccess();
        int pid = int.Parse(AgentPid().Match(agent.Stdout).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        try
        {
            var env = new Dictionary<string, string?> { ["SSH_AUTH_SOCK"] = socket };
            (await ProcessRunner.RunAsync("ssh-add", [key], new RunOptions().WithEnvironment(env))).EnsureSuccess();
            var expected = (await ProcessRunner.RunAsync("ssh-add", ["-l"], new RunOptions().WithEnvironment(env))).EnsureSuccess().Stdout;
            await CopySshAddAsync(Path.Combine(build.Context, "tools"));

            (await build.BuildAsync(
                "FROM base:1\nRUN --mount=type=bind,source=tools,target=/t --mount=type=ssh,required=true " +
                "sh -c 'test -S \"$SSH_AUTH_SOCK\" && echo $SSH_AUTH_SOCK > /sock && /t/ld.so --library-path /t /t/ssh-add -l > /keys'\n",
                "ssh:1", ["--ssh", "default"], env)).EnsureSuccess();

            var rootfs = await build.UnpackAsync("ssh:1");
            Assert.Equal(expected, await File.ReadAllTextAsync(Path.Combine(rootfs, "keys")));
            Assert.Contains("strata-test-key", expected, StringComparison.Ordinal);
            Assert.Equal("/run/buildkit/ssh_agent.0\n", await File.ReadAllTextAsync(Path.Combine(rootfs, "sock")));
            Assert.False(Directory.Exists(Path.Combine(rootfs, "run")), "the agent socket's mount point reached the image");
        }
        finally
        {
            System.Diagnostics.Process.GetProcessById(pid).Kill();
        }
    }

    [Fact]
    public async Task Required_ssh_mount_without_an_agent_fails_naming_the_line_and_the_id()
    {
        var (strata, build) = await MountBuild.NewAsync(_base, "ssh-missing");

        var result = await build.BuildAsync("FROM base:1\n\nRUN --mount=type=ssh,id=deploy,required=true true\n", "sshm:1");

        StrataExit.AssertFailed(result.ExitCode, result.ToString());
        var error = Assert.Single(result.Stderr.Split('\n'), l => l.StartsWith("Error:", StringComparison.Ordinal));
        Assert.Contains("Dockerfile:3", error, StringComparison.Ordinal);
        Assert.Contains("ssh agent deploy is required", error, StringComparison.Ordinal);
    }

    /// <summary>The host's ssh-add with the libraries ldd names and the dynamic loader as ld.so.</summary>
    private static async Task CopySshAddAsync(string tools)
    {
        Directory.CreateDirectory(tools);
        File.Copy("/usr/bin/ssh-add", Path.Combine(tools, "ssh-add"));
        var ldd = (await ProcessRunner.RunAsync("ldd", "/usr/bin/ssh-add")).EnsureSuccess().Stdout;
        foreach (Match m in LibraryPath().Matches(ldd))
        {
            var path = m.Groups[1].Value;
            var name = Path.GetFileName(path).StartsWith("ld-linux", StringComparison.Ordinal) ? "ld.so" : Path.GetFileName(path);
            File.Copy(path, Path.Combine(tools, name), overwrite: true);
        }
        Assert.True(File.Exists(Path.Combine(tools, "ld.so")), "ldd did not name the dynamic loader:\n" + ldd);
    }

    [GeneratedRegex(@"SSH_AGENT_PID=(\d+)")]
    private static partial Regex AgentPid();

    [GeneratedRegex(@"(/\S+\.so[.\d]*) \(0x")]
    private static partial Regex LibraryPath();
}
