using Strata.Build.IntegrationTests.Fixtures;
using Strata.Containers.Tests.Fixtures;

namespace Strata.Containers.Tests.Cli;

/// <summary>
/// The seed's copy-on-write walkthroughs through <c>strata diff</c> and through the real
/// <c>docker diff</c> (Debian docker.io 20.10, overlay2) on the same image: the same lines.
/// docker lists siblings in Go map order (it changes from call to call), so lines are compared
/// as sorted sets; strata's own order is tested in <see cref="DiffTests"/>.
/// </summary>
[Collection(DockerDiffGroup.Name)]
public sealed class DockerDiffTests(DockerDiffPeer peer)
{
    private static int _counter;

    private async Task<(string[] Strata, string[] Docker)> BothAsync(string image, string script)
    {
        Skip.If(peer.Dockerd.SkipReason is not null, peer.Dockerd.SkipReason);
        var name = $"dd-{Interlocked.Increment(ref _counter)}";
        (await peer.Strata.RunAsync("run", "--name", name, image, "sh", "-c", script)).EnsureSuccess();
        (await peer.Dockerd.DockerAsync("run", "--name", name, "--network", "none", image, "sh", "-c", script)).EnsureSuccess();
        try
        {
            var ours = (await peer.Strata.RunAsync("diff", name)).EnsureSuccess().Stdout;
            var theirs = (await peer.Dockerd.DockerAsync("diff", name)).EnsureSuccess().Stdout;
            return (Lines(ours), Lines(theirs));
        }
        finally
        {
            (await peer.Strata.RunAsync("rm", name)).EnsureSuccess();
            (await peer.Dockerd.DockerAsync("rm", name)).EnsureSuccess();
        }
    }

    private static string[] Lines(string output) => [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal)];

    [SkippableTheory]
    [InlineData("echo hello > /test.txt", "A /test.txt")]
    [InlineData("echo more >> /etc/motd", "C /etc|C /etc/motd")]
    [InlineData("rm /srv/data/old1", "C /srv|C /srv/data|D /srv/data/old1")]
    [InlineData("rm -r /srv/data", "C /srv|D /srv/data")]
    [InlineData("mkdir -p /a/b; echo x > /a/b/f", "A /a|A /a/b|A /a/b/f")]
    [InlineData("rm -r /srv/data; mkdir /srv/data; echo new > /srv/data/fresh", "A /srv/data/fresh|C /srv|C /srv/data|D /srv/data/old1|D /srv/data/old2")]
    [InlineData("chmod 600 /etc/motd", "C /etc|C /etc/motd")]
    [InlineData(": >> /etc/motd", "")]
    [InlineData("cat /etc/motd > /dev/null", "")]
    [InlineData("echo a > /zz; echo b > /aa; rm /srv/data/old2; echo c >> /etc/motd; echo d > /etc/new", "A /aa|A /etc/new|A /zz|C /etc|C /etc/motd|C /srv|C /srv/data|D /srv/data/old2")]
    public async Task Strata_diff_prints_what_docker_diff_prints(string script, string expected)
    {
        var (ours, theirs) = await BothAsync("base:1", script);
        Assert.Equal(theirs, ours);
        // And the walkthrough's expectation, so a change on docker's side is noticed too.
        Assert.Equal(expected.Split('|', StringSplitOptions.RemoveEmptyEntries), ours);
    }

    [SkippableFact]
    public async Task Appending_one_byte_to_a_512_MiB_lower_file_copies_all_of_it_up_as_in_docker()
    {
        var (ours, theirs) = await BothAsync(DockerDiffPeer.BigImage, "printf x >> /srv/big.bin; echo small > /small.txt");
        Assert.Equal(theirs, ours);
        Assert.Equal(["A /small.txt", "C /srv", "C /srv/big.bin"], ours);
    }

    [Fact]
    public async Task The_512_MiB_copy_up_costs_the_whole_file_and_a_new_small_file_only_itself()
    {
        // Runs without docker too: the copy-up's cost is strata's own claim.
        const string name = "dd-size";
        (await peer.Strata.RunAsync("run", "--name", name, DockerDiffPeer.BigImage, "sh", "-c", "printf x >> /srv/big.bin; echo small > /small.txt")).EnsureSuccess();
        try
        {
            var lines = (await peer.Strata.RunAsync("diff", "--size", name)).EnsureSuccess().Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal($"C /srv/big.bin\t{DockerDiffPeer.BigFileSize + 1} (537MB)", Assert.Single(lines, l => l.StartsWith("C /srv/big.bin", StringComparison.Ordinal)));
            Assert.Equal("A /small.txt\t6 (6B)", Assert.Single(lines, l => l.StartsWith("A /small.txt", StringComparison.Ordinal)));
            Assert.StartsWith($"total\t{DockerDiffPeer.BigFileSize + 7} ", lines[^1]);
        }
        finally
        {
            (await peer.Strata.RunAsync("rm", name)).EnsureSuccess();
        }
    }

    /// <summary>An image with busybox alone: no /etc, /dev, /proc or /sys for the runtime to find.</summary>
    private async Task<string> BareImageAsync()
    {
        const string image = "bare:1";
        if ((await peer.Strata.RunAsync("inspect", "--format", "{{.Id}}", image)).ExitCode == 0) return image;
        using var rootDir = new TempDir("strata-bare-");
        var root = rootDir.Path;
        new BusyboxRootfs { Applets = ["sh", "echo", "sleep", "cat", "tail"] }.Create(root);
        (await peer.Strata.RunAsync("import", root, image)).EnsureSuccess();
        var tar = Path.Combine(root, "bare.tar");
        (await peer.Strata.RunAsync(["save", image], new RunOptions { StdoutFile = tar })).EnsureSuccess();
        (await peer.Dockerd.DockerAsync("load", "-i", tar)).EnsureSuccess();
        return image;
    }

    [SkippableFact]
    public async Task A_running_container_hides_the_mount_points_and_etc_files_the_runtime_made_and_may_append_to_etc_hosts_as_in_docker()
    {
        Skip.If(peer.Dockerd.SkipReason is not null, peer.Dockerd.SkipReason);
        var image = await BareImageAsync();
        var name = $"dd-bare-{Interlocked.Increment(ref _counter)}";
        const string script = "echo x > /new && echo modified >> /etc/hosts && tail -n 1 /etc/hosts";
        (await peer.Strata.RunAsync("run", "-d", "--network", "none", "--name", name, image, "sleep", "600")).EnsureSuccess();
        (await peer.Dockerd.DockerAsync("run", "-d", "--network", "none", "--name", name, image, "sleep", "600")).EnsureSuccess();
        try
        {
            var ours = await peer.Strata.RunAsync("exec", name, "sh", "-c", script);
            var theirs = await peer.Dockerd.DockerAsync("exec", name, "sh", "-c", script);
            Assert.Equal((0, "modified\n"), (theirs.ExitCode, theirs.Stdout));
            Assert.Equal((theirs.ExitCode, theirs.Stdout), (ours.ExitCode, ours.Stdout));

            var diff = Lines((await peer.Strata.RunAsync("diff", name)).EnsureSuccess().Stdout);
            Assert.Equal(Lines((await peer.Dockerd.DockerAsync("diff", name)).EnsureSuccess().Stdout), diff);
            Assert.Equal(["A /new"], diff);
        }
        finally
        {
            (await peer.Strata.RunAsync("rm", "-f", name)).EnsureSuccess();
            (await peer.Dockerd.DockerAsync("rm", "-f", name)).EnsureSuccess();
        }
    }
}
