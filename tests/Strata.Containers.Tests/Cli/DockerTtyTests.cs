using Strata.Build.IntegrationTests.Fixtures;
using Strata.Containers.Tests.Fixtures;

namespace Strata.Containers.Tests.Cli;

/// <summary>
/// <c>-t</c> without a terminal next to the real docker (Debian docker.io 20.10) on the same
/// image, both with a pipe as stdin: the same bytes out, the same exit code, the same refusal.
/// </summary>
[Collection(DockerDiffGroup.Name)]
public sealed class DockerTtyTests(DockerDiffPeer peer)
{
    private async Task<string> PipedInputAsync()
    {
        var path = Path.Combine(peer.Dockerd.Root, $"stdin-{Guid.NewGuid():N}.txt");
        await File.WriteAllTextAsync(path, "piped\n");
        return path;
    }

    private static async Task<ProcessResult> EventuallyAsync(Func<Task<ProcessResult>> logs)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var result = (await logs()).EnsureSuccess();
            if (result.Stdout.Contains("on-tty", StringComparison.Ordinal) || DateTime.UtcNow > deadline) return result;
            await Task.Delay(100);
        }
    }

    [SkippableFact]
    public async Task Run_t_on_a_pipe_prints_what_docker_prints_and_exits_alike()
    {
        Skip.If(peer.Dockerd.SkipReason is not null, peer.Dockerd.SkipReason);
        var stdin = await PipedInputAsync();
        const string Script = "[ -t 0 ] && [ -t 1 ] && echo tty; echo \"term=$TERM\"; echo to-err >&2; exit 3";
        var ours = await peer.Strata.RunAsync(["run", "--rm", "-t", "base:1", "sh", "-c", Script], new RunOptions { StdinFile = stdin });
        var theirs = await peer.Dockerd.DockerAsync(["run", "--rm", "-t", "--network", "none", "base:1", "sh", "-c", Script], stdinFile: stdin);
        Assert.Equal(3, theirs.ExitCode);
        Assert.Equal(theirs.ExitCode, ours.ExitCode);
        Assert.Equal(theirs.Stdout, ours.Stdout);
        Assert.Equal(theirs.Stderr, ours.Stderr);
    }

    [SkippableFact]
    public async Task Run_it_on_a_pipe_is_refused_with_docker_message()
    {
        Skip.If(peer.Dockerd.SkipReason is not null, peer.Dockerd.SkipReason);
        var stdin = await PipedInputAsync();
        var ours = await peer.Strata.RunAsync(["run", "--rm", "-it", "base:1", "true"], new RunOptions { StdinFile = stdin });
        var theirs = await peer.Dockerd.DockerAsync(["run", "--rm", "-it", "--network", "none", "base:1", "true"], stdinFile: stdin);
        Assert.Equal(theirs.ExitCode, ours.ExitCode);
        // strata prefixes every error with "Error: "; the message itself is docker's.
        Assert.Equal("Error: " + theirs.Stderr, ours.Stderr);
    }

    [SkippableFact]
    public async Task Logs_of_a_dt_container_and_exec_t_on_a_pipe_match_docker()
    {
        Skip.If(peer.Dockerd.SkipReason is not null, peer.Dockerd.SkipReason);
        var stdin = await PipedInputAsync();
        const string Script = "echo out-line; echo err-line >&2; [ -t 1 ] && echo on-tty; exec sleep 1000";
        (await peer.Strata.RunAsync("run", "-d", "-t", "--name", "dtty", "base:1", "sh", "-c", Script)).EnsureSuccess();
        (await peer.Dockerd.DockerAsync("run", "-d", "-t", "--name", "dtty", "--network", "none", "base:1", "sh", "-c", Script)).EnsureSuccess();
        try
        {
            const string Exec = "[ -t 0 ] && [ -t 1 ] && echo exec-tty; echo \"term=$TERM\"; exit 4";
            var ours = await peer.Strata.RunAsync(["exec", "-t", "dtty", "sh", "-c", Exec], new RunOptions { StdinFile = stdin });
            var theirs = await peer.Dockerd.DockerAsync(["exec", "-t", "dtty", "sh", "-c", Exec], stdinFile: stdin);
            Assert.Equal(4, theirs.ExitCode);
            Assert.Equal(theirs.ExitCode, ours.ExitCode);
            Assert.Equal(theirs.Stdout, ours.Stdout);
            // The logs are copied asynchronously (docker's logger, strata's shim): poll, bounded, for the last line.
            var ourLogs = await EventuallyAsync(() => peer.Strata.RunAsync("logs", "dtty"));
            var theirLogs = await EventuallyAsync(() => peer.Dockerd.DockerAsync("logs", "dtty"));
            Assert.Equal("out-line\r\nerr-line\r\non-tty\r\n", theirLogs.Stdout);
            Assert.Equal(theirLogs.Stdout, ourLogs.Stdout);
            Assert.Equal(theirLogs.Stderr, ourLogs.Stderr);
        }
        finally
        {
            await peer.Strata.RunAsync("rm", "-f", "dtty");
            await peer.Dockerd.DockerAsync("rm", "-f", "dtty");
        }
    }
}
