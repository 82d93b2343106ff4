using Strata.Containers.Tests.Fixtures;
using Strata.Build.IntegrationTests.Fixtures;

namespace Strata.Containers.Tests.Cli;

[Collection(ContainerGroup.Name)]
public sealed class RunTests(ContainerStore store)
{
    private readonly StrataCli _cli = store.Cli;

    [Fact]
    public async Task Exit_code_of_the_process_is_strata_run_exit_code()
    {
        var result = await _cli.RunAsync("run", "--rm", "base:1", "sh", "-c", "exit 3");
        Assert.Equal(3, result.ExitCode);
    }

    [Fact]
    public async Task Stdout_and_stderr_pass_through()
    {
        var result = await _cli.RunAsync("run", "--rm", "base:1", "sh", "-c", "echo to-out; echo to-err >&2");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("to-out\n", result.Stdout);
        Assert.Contains("to-err", result.Stderr);
    }

    [Fact]
    public async Task Env_workdir_and_user_options_reach_the_process()
    {
        var result = (await _cli.RunAsync("run", "--rm", "-e", "FOO=bar", "-w", "/srv/data", "-u", "node", "base:1", "sh", "-c", "echo $FOO; pwd; id -u; echo $PATH")).EnsureSuccess();
        Assert.Equal("bar\n/srv/data\n1000\n/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n", result.Stdout);
    }

    [Fact]
    public async Task Image_cmd_runs_when_no_command_is_given_and_entrypoint_combines_with_arguments()
    {
        (await _cli.RunAsync("run", "--name", "cmdsrc", "base:1", "true")).EnsureSuccess();
        (await _cli.RunAsync("commit", "-c", "ENTRYPOINT [\"echo\", \"ep\"]", "-c", "CMD [\"default\"]", "cmdsrc", "withcmd:1")).EnsureSuccess();
        Assert.Equal("ep default\n", (await _cli.RunAsync("run", "--rm", "withcmd:1")).EnsureSuccess().Stdout);
        Assert.Equal("ep given\n", (await _cli.RunAsync("run", "--rm", "withcmd:1", "given")).EnsureSuccess().Stdout);
        // --entrypoint drops the image's CMD (docker's rule).
        Assert.Equal("\n", (await _cli.RunAsync("run", "--rm", "--entrypoint", "echo", "withcmd:1")).EnsureSuccess().Stdout);
        Assert.Equal("x\n", (await _cli.RunAsync("run", "--rm", "--entrypoint", "echo", "withcmd:1", "x")).EnsureSuccess().Stdout);
        (await _cli.RunAsync("rm", "cmdsrc")).EnsureSuccess();
    }

    [Fact]
    public async Task A_missing_command_exits_127_like_docker()
    {
        var result = await _cli.RunAsync("run", "--rm", "base:1", "no-such-command");
        Assert.Equal(127, result.ExitCode);
        Assert.Contains("no-such-command", result.Stderr);
    }

    [Fact]
    public async Task A_missing_command_is_one_error_line_and_not_in_the_containers_log()
    {
        var removed = await _cli.RunAsync("run", "--rm", "base:1", "no-such-command");
        Assert.Equal(127, removed.ExitCode);
        var line = Assert.Single(removed.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Matches("^Error: container [0-9a-f]{64}: runc: .*\"no-such-command\": executable file not found in \\$PATH$", line);

        Assert.Equal(127, (await _cli.RunAsync("run", "--name", "no-cmd", "base:1", "no-such-command")).ExitCode);
        try
        {
            var logs = (await _cli.RunAsync("logs", "no-cmd")).EnsureSuccess();
            Assert.Equal(("", ""), (logs.Stdout, logs.Stderr));
        }
        finally
        {
            (await _cli.RunAsync("rm", "no-cmd")).EnsureSuccess();
        }
    }

    [Fact]
    public async Task Rm_option_leaves_no_container_and_without_it_ps_shows_the_exited_one()
    {
        (await _cli.RunAsync("run", "--rm", "--name", "gone", "base:1", "true")).EnsureSuccess();
        Assert.Equal(5, (await _cli.RunAsync("run", "--name", "kept", "base:1", "sh", "-c", "exit 5")).ExitCode);
        var ps = (await _cli.RunAsync("ps", "-a")).EnsureSuccess().Stdout.Split('\n');
        Assert.StartsWith("CONTAINER ID   IMAGE", ps[0]);
        Assert.Matches("CONTAINER ID +IMAGE +COMMAND +CREATED +STATUS +PORTS +NAMES", ps[0]);
        var kept = Assert.Single(ps, l => l.EndsWith(" kept"));
        // docker quotes an argument holding a space: "sh -c 'exit 5'".
        Assert.Matches(@"^[0-9a-f]{12} +base:1 +""sh -c 'exit 5'"" +.* ago +Exited \(5\) .* ago +kept$", kept);
        Assert.DoesNotContain(ps, l => l.EndsWith(" gone"));
        Assert.DoesNotContain("kept", (await _cli.RunAsync("ps")).EnsureSuccess().Stdout);
        (await _cli.RunAsync("rm", "kept")).EnsureSuccess();
        Assert.DoesNotContain("kept", (await _cli.RunAsync("ps", "-a")).EnsureSuccess().Stdout);
    }

    [Fact]
    public async Task Rmi_of_the_base_is_refused_while_a_container_uses_it()
    {
        (await _cli.RunAsync("import", store.BaseRootfs, "rmibase:1")).EnsureSuccess();
        (await _cli.RunAsync("run", "--name", "user-of-rmibase", "rmibase:1", "true")).EnsureSuccess();
        var refused = await _cli.RunAsync("rmi", "rmibase:1");
        StrataExit.AssertFailed(StrataExit.Failure, refused.ExitCode, refused.Stderr);
        var container = await ContainerIdAsync("user-of-rmibase");
        var image = (await _cli.RunAsync("inspect", "--format", "{{.Id}}", "rmibase:1")).EnsureSuccess().Stdout.Trim();
        // docker's words (daemon's conflict), short ids as docker gives them.
        Assert.Equal($"Error: conflict: unable to remove repository reference \"rmibase:1\" (must force) - container {container[..12]} is using its referenced image {image["sha256:".Length..][..12]}\n", refused.Stderr);
        (await _cli.RunAsync("rm", "user-of-rmibase")).EnsureSuccess();
        (await _cli.RunAsync("rmi", "rmibase:1")).EnsureSuccess();
    }

    [Fact]
    public async Task Container_prune_removes_stopped_containers()
    {
        (await _cli.RunAsync("run", "--name", "prune-me", "base:1", "true")).EnsureSuccess();
        var pruned = (await _cli.RunAsync("container", "prune", "-f")).EnsureSuccess();
        Assert.StartsWith("Deleted Containers:", pruned.Stdout);
        Assert.DoesNotContain("prune-me", (await _cli.RunAsync("ps", "-a")).EnsureSuccess().Stdout);
    }

    [Fact]
    public async Task A_name_in_use_is_refused()
    {
        (await _cli.RunAsync("run", "--name", "twice", "base:1", "true")).EnsureSuccess();
        var again = await _cli.RunAsync("run", "--name", "twice", "base:1", "true");
        StrataExit.AssertFailed(StrataExit.Failure, again.ExitCode, again.Stderr);
        var id = await ContainerIdAsync("twice");
        // docker's daemon words exactly (moby daemon/names.go), after strata's "Error: ".
        Assert.Equal($"Error: Conflict. The container name \"/twice\" is already in use by container \"{id}\". You have to remove (or rename) that container to be able to reuse that name.\n", again.Stderr);
        (await _cli.RunAsync("rm", "twice")).EnsureSuccess();
    }

    [Fact]
    public async Task A_container_and_its_changes_survive_system_prune()
    {
        (await _cli.RunAsync("run", "--name", "survivor", "base:1", "sh", "-c", "echo keep > /kept")).EnsureSuccess();
        (await _cli.RunAsync("system", "prune", "-f")).EnsureSuccess();
        Assert.Equal("A /kept\n", (await _cli.RunAsync("container", "diff", "survivor")).EnsureSuccess().Stdout);
        Assert.Contains("survivor", (await _cli.RunAsync("container", "ls", "-a")).EnsureSuccess().Stdout);
        (await _cli.RunAsync("container", "rm", "survivor")).EnsureSuccess();
    }

    [Fact]
    public async Task An_unknown_container_is_one_clear_error()
    {
        var result = await _cli.RunAsync("diff", "no-such-container");
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("Error: No such container: no-such-container\n", result.Stderr);
    }

    /// <summary>The full id of the container named <paramref name="name"/>, from <c>ps -a --no-trunc</c>.</summary>
    private async Task<string> ContainerIdAsync(string name)
    {
        var rows = (await _cli.RunAsync("ps", "-a", "--no-trunc", "--format", "{{.ID}} {{.Names}}")).EnsureSuccess().Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return Assert.Single(rows, r => r.EndsWith(" " + name, StringComparison.Ordinal)).Split(' ')[0];
    }
}
