using Strata.Build.IntegrationTests.Fixtures;
using Strata.Containers.Tests.Fixtures;

namespace Strata.Containers.Tests.Cli;

/// <summary>
/// <c>-t</c> where strata has no terminal (a pipe, CI, a detached container): strata owns the
/// pty (runc's console socket) and copies it to stdout or the log, as docker does.
/// </summary>
[Collection(ContainerGroup.Name)]
public sealed class TtyTests(ContainerStore store)
{
    private static readonly TimeSpan StateTimeout = TimeSpan.FromSeconds(60);
    private readonly StrataCli _cli = store.Cli;

    private Task<string> PsLineAsync(string name, bool all = false) => PsLines.OfAsync(_cli, name, all);

    private async Task<string> PipedInputAsync(string text)
    {
        var path = Path.Combine(store.Root, $"stdin-{Guid.NewGuid():N}.txt");
        await File.WriteAllTextAsync(path, text);
        return path;
    }

    /// <summary>Polls (bounded, generous) until <paramref name="done"/> holds; false if it never did.</summary>
    private static async Task<bool> EventuallyAsync(Func<Task<bool>> done)
    {
        var deadline = DateTime.UtcNow + StateTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (await done()) return true;
            await Task.Delay(100);
        }
        return await done();
    }

    [Fact]
    public async Task Run_t_with_piped_stdin_gives_the_process_a_terminal_and_passes_its_exit_code()
    {
        var stdin = await PipedInputAsync("never read\n");
        var run = await _cli.RunAsync(
            ["run", "--rm", "-t", "base:1", "sh", "-c", "[ -t 0 ] && [ -t 1 ] && [ -t 2 ] && echo tty; echo \"term=$TERM\"; echo to-err >&2; exit 3"],
            new RunOptions { StdinFile = stdin });
        Assert.Equal(3, run.ExitCode);
        // One terminal: stderr is merged into stdout, lines end in \r\n (the pty's onlcr), as docker prints them.
        Assert.Equal("tty\r\nterm=xterm\r\nto-err\r\n", run.Stdout);
        Assert.Equal("", run.Stderr);
    }

    [Fact]
    public async Task Run_it_and_exec_it_on_a_pipe_fail_with_docker_error_before_creating_anything()
    {
        var stdin = await PipedInputAsync("x\n");
        var run = await _cli.RunAsync(["run", "-it", "--name", "tty-it", "base:1", "true"], new RunOptions { StdinFile = stdin });
        Assert.Equal(1, run.ExitCode);
        Assert.Equal("Error: the input device is not a TTY\n", run.Stderr);
        Assert.Equal("", await PsLineAsync("tty-it", all: true));

        (await _cli.RunAsync("run", "-d", "--name", "tty-it-target", "base:1", "sleep", "1000")).EnsureSuccess();
        try
        {
            var exec = await _cli.RunAsync(["exec", "-it", "tty-it-target", "true"], new RunOptions { StdinFile = stdin });
            Assert.Equal(1, exec.ExitCode);
            Assert.Equal("Error: the input device is not a TTY\n", exec.Stderr);
        }
        finally
        {
            (await _cli.RunAsync("rm", "-f", "tty-it-target")).EnsureSuccess();
        }
    }

    [Fact]
    public async Task Run_dt_keeps_a_shell_up_on_its_terminal_exec_works_and_stop_ends_it()
    {
        var id = (await _cli.RunAsync("run", "-d", "-t", "--name", "tty-dt", "base:1", "sh")).EnsureSuccess().Stdout.Trim();
        Assert.Matches("^[0-9a-f]{64}$", id);
        try
        {
            PsLines.AssertMatches(" Up .+ +tty-dt$", await PsLineAsync("tty-dt"));
            // busybox sh sees a terminal, so it is interactive: its prompt lands in the log (docker logs shows it too).
            Assert.True(await EventuallyAsync(async () => (await _cli.RunAsync("logs", "tty-dt")).Stdout.Contains("# ", StringComparison.Ordinal)), "the shell never printed its prompt");
            var exec = await _cli.RunAsync("exec", "tty-dt", "sh", "-c", "echo from-exec; exit 4");
            Assert.Equal(4, exec.ExitCode);
            Assert.Equal("from-exec\n", exec.Stdout);
            var execTty = await _cli.RunAsync("exec", "-t", "tty-dt", "sh", "-c", "[ -t 1 ] && echo exec-tty; exit 5");
            Assert.Equal(5, execTty.ExitCode);
            Assert.Equal("exec-tty\r\n", execTty.Stdout);
            // A shell that got EOF or SIGHUP would exit at once; after a moment it is still up.
            await Task.Delay(TimeSpan.FromSeconds(2));
            PsLines.AssertMatches(" Up .+ +tty-dt$", await PsLineAsync("tty-dt"));
            Assert.Equal("tty-dt\n", (await _cli.RunAsync("stop", "-t", "1", "tty-dt")).EnsureSuccess().Stdout);
            // An interactive shell as pid 1 ignores SIGTERM: the grace period ends in SIGKILL, 137 as docker reports.
            PsLines.AssertMatches(@"Exited \(137\) .* ago +tty-dt$", await PsLineAsync("tty-dt", all: true));
            Assert.Equal("137\n", (await _cli.RunAsync("wait", "tty-dt")).EnsureSuccess().Stdout);
        }
        finally
        {
            await _cli.RunAsync("rm", "-f", "tty-dt");
        }
    }

    [Fact]
    public async Task Logs_of_a_dt_container_show_what_its_command_printed_on_its_terminal()
    {
        (await _cli.RunAsync("run", "-d", "-t", "--name", "tty-logs", "base:1", "sh", "-c", "echo out-line; echo err-line >&2; [ -t 1 ] && echo on-tty; exit 6")).EnsureSuccess();
        try
        {
            Assert.Equal("6\n", (await _cli.RunAsync("wait", "tty-logs")).EnsureSuccess().Stdout);
            var logs = (await _cli.RunAsync("logs", "tty-logs")).EnsureSuccess();
            Assert.Equal("out-line\r\nerr-line\r\non-tty\r\n", logs.Stdout);
            Assert.Equal("", logs.Stderr);
            PsLines.AssertMatches(@"Exited \(6\) .* ago +tty-logs$", await PsLineAsync("tty-logs", all: true));
        }
        finally
        {
            await _cli.RunAsync("rm", "-f", "tty-logs");
        }
    }

    [Fact]
    public async Task Exec_t_without_i_gives_a_terminal_and_leaves_strata_stdin_unread()
    {
        (await _cli.RunAsync("run", "-d", "--name", "tty-exec", "base:1", "sleep", "1000")).EnsureSuccess();
        try
        {
            // The shell's cat reads what strata left of their shared stdin: all of it, if strata read none.
            var stdin = await PipedInputAsync("still-here\n");
            var result = await ProcessRunner.RunAsync("/bin/sh", ["-c", "\"$0\" --root \"$1\" exec -t tty-exec sh -c '[ -t 0 ] && [ -t 1 ] && echo exec-tty; echo \"term=$TERM\"; exit 3'; echo \"exit=$?\"; cat", StrataCli.Binary, _cli.StoreRoot], new RunOptions { StdinFile = stdin });
            result.EnsureSuccess();
            Assert.Equal("exec-tty\r\nterm=xterm\r\nexit=3\nstill-here\n", result.Stdout);
        }
        finally
        {
            await _cli.RunAsync("rm", "-f", "tty-exec");
        }
    }
}
