using System.Text.Json;
using Strata.Build.IntegrationTests.Fixtures;
using Strata.Containers.Tests.Fixtures;

namespace Strata.Containers.Tests.Cli;

/// <summary>Detached containers under their monitor: ps, logs, exec, stop, kill, wait, start, rm -f, and lost runtime state.</summary>
[Collection(ContainerGroup.Name)]
public sealed class LifecycleTests(ContainerStore store)
{
    private readonly StrataCli _cli = store.Cli;

    private async Task<string> RunDetachedAsync(string name, params string[] command)
    {
        var id = (await _cli.RunAsync(["run", "-d", "--name", name, "base:1", .. command])).EnsureSuccess().Stdout.Trim();
        Assert.Matches("^[0-9a-f]{64}$", id);
        return id;
    }

    private Task<string> PsLineAsync(string name, bool all = false) => PsLines.OfAsync(_cli, name, all);

    [Fact]
    public async Task A_detached_container_shows_up_in_ps_writes_logs_runs_exec_and_stops()
    {
        var id = await RunDetachedAsync("lc-up", "sh", "-c", "echo started; echo oops >&2; exec sleep 1000");
        try
        {
            PsLines.AssertMatches($@"^{id[..12]} +base:1 +""sh -c 'echo started…"" +.+ +Up .+ +lc-up$", await PsLineAsync("lc-up"));
            // The monitor records the init pid once runc has made the container, so exec works at once.
            var exec = await _cli.RunAsync("exec", "lc-up", "sh", "-c", "echo from-exec; exit 4");
            Assert.Equal(4, exec.ExitCode);
            Assert.Equal("from-exec\n", exec.Stdout);
            var logs = (await _cli.RunAsync("logs", "lc-up")).EnsureSuccess();
            Assert.Equal("started\n", logs.Stdout);
            Assert.Equal("oops\n", logs.Stderr);
            Assert.Equal("lc-up\n", (await _cli.RunAsync("stop", "-t", "1", "lc-up")).EnsureSuccess().Stdout);
            // sleep as pid 1 ignores SIGTERM: the grace period ends in SIGKILL, 137 as docker reports.
            PsLines.AssertMatches(@"Exited \(137\) .* ago +lc-up$", await PsLineAsync("lc-up", all: true));
            Assert.Equal("", await PsLineAsync("lc-up"));
            Assert.Equal("137\n", (await _cli.RunAsync("wait", "lc-up")).EnsureSuccess().Stdout);
        }
        finally
        {
            await _cli.RunAsync("rm", "-f", "lc-up");
        }
    }

    [Fact]
    public async Task Logs_show_what_a_foreground_run_printed_too()
    {
        var run = await _cli.RunAsync("run", "--name", "lc-fglogs", "base:1", "sh", "-c", "echo out-line; echo err-line >&2; exit 2");
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("out-line\n", run.Stdout);
        var logs = (await _cli.RunAsync("logs", "lc-fglogs")).EnsureSuccess();
        Assert.Equal("out-line\n", logs.Stdout);
        Assert.Equal("err-line\n", logs.Stderr);
        Assert.Equal("2\n", (await _cli.RunAsync("wait", "lc-fglogs")).EnsureSuccess().Stdout);
        (await _cli.RunAsync("rm", "lc-fglogs")).EnsureSuccess();
    }

    [Fact]
    public async Task A_detached_container_with_rm_removes_itself_once_it_exits()
    {
        await RunDetachedAsync("lc-drm-keep", "sleep", "1000");
        (await _cli.RunAsync("run", "-d", "--rm", "--name", "lc-drm", "base:1", "sh", "-c", "exit 0")).EnsureSuccess();
        // The monitor removes it after recording the exit; poll (bounded) rather than sleep.
        bool gone = false;
        for (int i = 0; i < 300 && !gone; i++)
        {
            gone = await PsLineAsync("lc-drm", all: true) == "";
            if (!gone) await Task.Delay(100);
        }
        Assert.True(gone, "run -d --rm left its container behind");
        PsLines.AssertMatches(" Up .+ +lc-drm-keep$", await PsLineAsync("lc-drm-keep"));
        (await _cli.RunAsync("rm", "-f", "lc-drm-keep")).EnsureSuccess();
    }

    [Fact]
    public async Task Wait_prints_the_exit_code_of_a_detached_container()
    {
        await RunDetachedAsync("lc-wait", "sh", "-c", "exit 3");
        Assert.Equal("3\n", (await _cli.RunAsync("wait", "lc-wait")).EnsureSuccess().Stdout);
        PsLines.AssertMatches(@"Exited \(3\) .* ago +lc-wait$", await PsLineAsync("lc-wait", all: true));
        (await _cli.RunAsync("rm", "lc-wait")).EnsureSuccess();
    }

    [Fact]
    public async Task Kill_sends_the_signal_and_a_stopped_container_cannot_be_killed_again()
    {
        await RunDetachedAsync("lc-kill", "sleep", "1000");
        Assert.Equal("lc-kill\n", (await _cli.RunAsync("kill", "lc-kill")).EnsureSuccess().Stdout);
        Assert.Equal("137\n", (await _cli.RunAsync("wait", "lc-kill")).EnsureSuccess().Stdout);
        var again = await _cli.RunAsync("kill", "lc-kill");
        Assert.Equal(1, again.ExitCode);
        Assert.Equal($"Error: Cannot kill container: lc-kill: Container {(await IdOfAsync("lc-kill"))} is not running\n", again.Stderr);
        (await _cli.RunAsync("rm", "lc-kill")).EnsureSuccess();
    }

    [Fact]
    public async Task Kill_with_a_signal_the_process_traps_lets_it_exit_its_own_way()
    {
        await RunDetachedAsync("lc-trap", "sh", "-c", "trap 'exit 42' USR1; echo > /ready; while true; do sleep 1; done");
        // The trap must be installed before the signal: the shell marks it with /ready.
        (await _cli.RunAsync("exec", "lc-trap", "sh", "-c", "while [ ! -e /ready ]; do sleep 0.1; done")).EnsureSuccess();
        (await _cli.RunAsync("kill", "-s", "USR1", "lc-trap")).EnsureSuccess();
        Assert.Equal("42\n", (await _cli.RunAsync("wait", "lc-trap")).EnsureSuccess().Stdout);
        (await _cli.RunAsync("rm", "lc-trap")).EnsureSuccess();
    }

    [Fact]
    public async Task Create_then_start_runs_the_created_container_and_start_again_reruns_it()
    {
        var id = (await _cli.RunAsync("create", "--name", "lc-create", "base:1", "sh", "-c", "echo run >> /runs; cat /runs")).EnsureSuccess().Stdout.Trim();
        Assert.Matches(@"^[0-9a-f]{64}$", id);
        PsLines.AssertMatches(@" Created +lc-create$", await PsLineAsync("lc-create", all: true));
        Assert.Equal("lc-create\n", (await _cli.RunAsync("start", "lc-create")).EnsureSuccess().Stdout);
        Assert.Equal("0\n", (await _cli.RunAsync("wait", "lc-create")).EnsureSuccess().Stdout);
        (await _cli.RunAsync("start", "lc-create")).EnsureSuccess();
        (await _cli.RunAsync("wait", "lc-create")).EnsureSuccess();
        // The writable layer survives between runs, and both runs' output is in the log.
        Assert.Equal("run\nrun\nrun\n", (await _cli.RunAsync("logs", "lc-create")).EnsureSuccess().Stdout);
        (await _cli.RunAsync("rm", "lc-create")).EnsureSuccess();
    }

    [Fact]
    public async Task Rm_of_a_running_container_needs_force_and_force_kills_it()
    {
        var id = await RunDetachedAsync("lc-rmf", "sleep", "1000");
        var refused = await _cli.RunAsync("rm", "lc-rmf");
        Assert.Equal(1, refused.ExitCode);
        // docker 25's daemon words (daemon/delete.go), after strata's "Error: ".
        Assert.Equal("Error: cannot remove container \"/lc-rmf\": container is running: stop the container before removing or force remove\n", refused.Stderr);
        (await _cli.RunAsync("rm", "-f", "lc-rmf")).EnsureSuccess();
        Assert.Equal("", await PsLineAsync("lc-rmf", all: true));
        Assert.False(Directory.Exists(Path.Combine(_cli.StoreRoot, "runtime", "state", id)), "runc state left behind");
        Assert.False(Directory.Exists(Path.Combine(_cli.StoreRoot, "runtime", "mounts", id)), "mount left behind");
    }

    [Fact]
    public async Task A_detached_start_failure_exits_127_and_keeps_the_container_exited()
    {
        var result = await _cli.RunAsync("run", "-d", "--name", "lc-bad", "base:1", "no-such-binary");
        Assert.Equal(127, result.ExitCode);
        Assert.Contains("no-such-binary", result.Stderr);
        PsLines.AssertMatches(@"Exited \(127\) .* ago +lc-bad$", await PsLineAsync("lc-bad", all: true));
        (await _cli.RunAsync("rm", "lc-bad")).EnsureSuccess();
    }

    [Fact]
    public async Task Exec_into_a_container_that_is_not_running_is_refused()
    {
        (await _cli.RunAsync("run", "--name", "lc-noexec", "base:1", "true")).EnsureSuccess();
        var exec = await _cli.RunAsync("exec", "lc-noexec", "true");
        Assert.Equal(1, exec.ExitCode);
        Assert.Contains("is not running", exec.Stderr);
        (await _cli.RunAsync("rm", "lc-noexec")).EnsureSuccess();
    }

    [Fact]
    public async Task Bind_mount_reaches_the_container_and_ro_is_honoured()
    {
        using var hostDir = new TempDir("strata-vol-");
        var host = hostDir.Path;
        await File.WriteAllTextAsync(Path.Combine(host, "in"), "from host\n");
        var rw = (await _cli.RunAsync("run", "--rm", "-v", host + ":/mnt/vol", "base:1", "sh", "-c", "cat /mnt/vol/in; echo back > /mnt/vol/out")).EnsureSuccess();
        Assert.Equal("from host\n", rw.Stdout);
        Assert.Equal("back\n", await File.ReadAllTextAsync(Path.Combine(host, "out")));
        var ro = await _cli.RunAsync("run", "--rm", "-v", host + ":/mnt/vol:ro", "base:1", "sh", "-c", "cat /mnt/vol/in; echo x > /mnt/vol/denied");
        Assert.Equal(1, ro.ExitCode); // sh's failed redirection, passed through (not 125, a crash of strata)
        Assert.Equal("from host\n", ro.Stdout);
        Assert.Contains("Read-only file system", ro.Stderr);
        Assert.False(File.Exists(Path.Combine(host, "denied")));
    }

    [Fact]
    public async Task A_bind_mount_point_does_not_show_in_diff()
    {
        using var hostDir = new TempDir("strata-vol-");
        var host = hostDir.Path;
        (await _cli.RunAsync("run", "--name", "lc-voldiff", "-v", host + ":/srv/mnt", "base:1", "true")).EnsureSuccess();
        Assert.Equal("", (await _cli.RunAsync("diff", "lc-voldiff")).EnsureSuccess().Stdout);
        (await _cli.RunAsync("rm", "lc-voldiff")).EnsureSuccess();
    }

    [Fact]
    public async Task Hostname_option_sets_the_uts_name_and_etc_hostname()
    {
        var result = (await _cli.RunAsync("run", "--rm", "--hostname", "web-1", "base:1", "sh", "-c", "cat /proc/sys/kernel/hostname /etc/hostname")).EnsureSuccess();
        Assert.Equal("web-1\nweb-1\n", result.Stdout);
    }

    [Fact]
    public async Task Interactive_passes_piped_stdin_and_without_it_the_process_reads_nothing()
    {
        var input = Path.Combine(store.Root, "stdin.txt");
        await File.WriteAllTextAsync(input, "piped line\n");
        Assert.Equal("piped line\n", (await _cli.RunAsync(["run", "--rm", "-i", "base:1", "cat"], new RunOptions { StdinFile = input })).EnsureSuccess().Stdout);
        Assert.Equal("", (await _cli.RunAsync(["run", "--rm", "base:1", "cat"], new RunOptions { StdinFile = input })).EnsureSuccess().Stdout);
    }

    [Fact]
    public async Task Tty_gives_run_and_exec_a_pseudo_terminal_when_strata_has_one()
    {
        // script(1) runs strata on a pseudo-terminal of its own, as an interactive shell would.
        string Strata(string args) => $"{StrataCli.Binary} --root {_cli.StoreRoot} {args}";
        var run = await ProcessRunner.RunAsync("/usr/bin/script", "-qec", Strata("run --rm -t base:1 sh -c 'tty; echo $TERM; exit 5'"), "/dev/null");
        Assert.Equal(5, run.ExitCode);
        Assert.Matches(@"/dev/pts/\d+\r", run.Stdout);
        // Without -i strata's terminal stays cooked (docker sets raw mode only with input), so
        // its onlcr adds a \r to the pty's \r\n, as it does under docker run -t.
        Assert.Contains("xterm\r\r\n", run.Stdout);
        // The pty takes the size of strata's terminal before the process starts.
        var sized = await ProcessRunner.RunAsync("/usr/bin/script", "-qec", "stty rows 33 cols 111; " + Strata("run --rm -t base:1 sh -c 'stty size'"), "/dev/null");
        Assert.Equal(0, sized.ExitCode);
        Assert.Contains("33 111\r", sized.Stdout);
        // -it: runc attaches the pty to strata's own terminal and feeds it strata's input.
        var interactive = await ProcessRunner.RunAsync("/usr/bin/script", "-qec", Strata("run --rm -it base:1 sh -c '[ -t 0 ] && [ -t 1 ] && echo in-tty; exit 7'"), "/dev/null");
        Assert.Equal(7, interactive.ExitCode);
        Assert.Contains("in-tty\r\n", interactive.Stdout);
        await RunDetachedAsync("lc-tty", "sleep", "1000");
        try
        {
            var exec = await ProcessRunner.RunAsync("/usr/bin/script", "-qec", Strata("exec -t lc-tty sh -c 'tty; exit 6'"), "/dev/null");
            Assert.Equal(6, exec.ExitCode);
            Assert.Matches(@"/dev/pts/\d+\r", exec.Stdout);
        }
        finally
        {
            (await _cli.RunAsync("rm", "-f", "lc-tty")).EnsureSuccess();
        }
    }

    [Fact]
    public async Task Lost_runtime_state_of_a_running_container_shows_exited_and_rm_cleans_up()
    {
        // A reboot-like loss: the monitor and the container's processes die, runc's state
        // directory and the overlay mount vanish, while the record still says running.
        var id = await RunDetachedAsync("lc-lost", "sleep", "1000");
        var state = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(_cli.StoreRoot, "containers", id, "container.json"))).RootElement;
        foreach (var who in new[] { "Monitor", "Init" })
            (await ProcessRunner.RunAsync("/bin/kill", "-KILL", state.GetProperty(who).GetProperty("Pid").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture))).EnsureSuccess();
        // runc's own foreground process may clean its state up as the init dies: gone either way.
        try { Directory.Delete(Path.Combine(_cli.StoreRoot, "runtime", "state", id), recursive: true); }
        catch (DirectoryNotFoundException) { }
        (await ProcessRunner.RunAsync("/bin/umount", "-l", Path.Combine(_cli.StoreRoot, "runtime", "mounts", id))).EnsureSuccess();
        PsLines.AssertMatches(@"Exited \(255\) .* ago +lc-lost$", await PsLineAsync("lc-lost", all: true));
        Assert.Equal("", await PsLineAsync("lc-lost"));
        // Its writable layer is intact: it starts again on a fresh mount.
        (await _cli.RunAsync("start", "lc-lost")).EnsureSuccess();
        PsLines.AssertMatches(@" Up .+ +lc-lost$", await PsLineAsync("lc-lost"));
        (await _cli.RunAsync("rm", "-f", "lc-lost")).EnsureSuccess();
        Assert.Equal("", await PsLineAsync("lc-lost", all: true));
    }

    /// <summary>
    /// ps checks containers recorded as running against their monitor. One that ends while ps
    /// looks has its exit recorded by the monitor just before the monitor goes: ps must read
    /// that, not take the container for lost (255), and runc's listing racing the container's
    /// removal must not fail ps. Before, 8 of 12 such containers ended as 255 and ps failed.
    /// </summary>
    [Fact]
    public async Task Containers_ending_while_ps_runs_keep_their_exit_codes_and_ps_never_fails()
    {
        var names = Enumerable.Range(1, 8).Select(i => $"lc-race-{i}").ToList();
        foreach (var name in names) await RunDetachedAsync(name, "sh", "-c", "sleep 1; exit 3");
        try
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            while (true)
            {
                var looks = await Task.WhenAll(_cli.RunAsync(["ps", "-a"]), _cli.RunAsync(["ps", "-a"]));
                foreach (var look in looks) Assert.True(look.ExitCode == 0, "ps failed while containers ended: " + look.Stderr);
                var rows = looks[0].Stdout.Split('\n').Where(l => names.Any(n => l.EndsWith(" " + n, StringComparison.Ordinal))).ToList();
                if (rows.Count == names.Count && rows.All(r => r.Contains("Exited", StringComparison.Ordinal))) break;
                Assert.True(clock.Elapsed < TimeSpan.FromMinutes(2), "the containers never all ended:\n" + string.Join('\n', rows));
            }
            foreach (var name in names)
                PsLines.AssertMatches($@"Exited \(3\) .* ago +{name}$", await PsLineAsync(name, all: true));
        }
        finally
        {
            await _cli.RunAsync(["rm", "-f", .. names]);
        }
    }

    [Fact]
    public async Task A_running_container_whose_runc_state_vanished_is_shown_exited_and_its_process_is_killed()
    {
        var id = await RunDetachedAsync("lc-nostate", "sleep", "1000");
        var state = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(_cli.StoreRoot, "containers", id, "container.json"))).RootElement;
        int init = state.GetProperty("Init").GetProperty("Pid").GetInt32();
        Directory.Delete(Path.Combine(_cli.StoreRoot, "runtime", "state", id), recursive: true);
        PsLines.AssertMatches(@"Exited \(255\) .* ago +lc-nostate$", await PsLineAsync("lc-nostate", all: true));
        Assert.False(IsRunning(init), "the container's process outlived its lost state");
        Assert.False(Directory.Exists(Path.Combine(_cli.StoreRoot, "runtime", "mounts", id)), "the mount of a lost container was left");
        (await _cli.RunAsync("rm", "lc-nostate")).EnsureSuccess();
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    private async Task<string> IdOfAsync(string name) =>
        (await _cli.RunAsync("ps", "-a", "--no-trunc", "--format", "{{.ID}} {{.Names}}")).EnsureSuccess().Stdout
            .Split('\n').Select(l => l.Split(' ')).Where(p => p.Length == 2 && p[1] == name).Select(p => p[0]).Single();
}
