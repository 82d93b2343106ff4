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

    [SkippableFact]
    public async Task Run_t_on_a_pipe_prints_what_docker_prints_and_exits_alike()
    {
        Skip.If(peer.Dockerd.SkipReason is not null, peer.Dockerd.SkipReason);
        var stdin = await PipedInputAsync();
        const string Script = "[ -t 0 ] && [ -t 1 ] && echo tty; echo \"term=$TERM\"; echo to-err >&2; exit 3";
        var ours = await peer.Strata.RunAsync(["run", "--rm", "-t", "base:1", "sh", "-c", Script], null, stdinFile: stdin);
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
        var ours = await peer.Strata.RunAsync(["run", "--rm", "-it", "base:1", "true"], null, stdinFile: stdin);
        var theirs = await peer.Dockerd.DockerAsync(["run", "--rm", "-it", "--network", "none", "base:1", "true"], stdinFile: stdin);
        Assert.Equal(theirs.ExitCode, ours.ExitCode);
        // strata prefixes every error with "Error: "; the message itself is docker's.
        Assert.Equal("Error: " + theirs.Stderr, ours.Stderr);
    }
}
