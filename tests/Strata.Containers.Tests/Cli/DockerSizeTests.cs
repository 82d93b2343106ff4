using Strata.Containers.Tests.Fixtures;

namespace Strata.Containers.Tests.Cli;

/// <summary>
/// <c>ps -s</c> and <c>system df -v</c>'s container rows next to the real docker engine (Debian
/// docker.io 20.10) on the same image and the same command: the writable layer's bytes, the
/// virtual size, the image name, the quoted and cut COMMAND and docker's STATUS wording.
/// </summary>
[Collection(DockerDiffGroup.Name)]
public sealed class DockerSizeTests(DockerDiffPeer peer)
{
    private const string Script = "busybox head -c 1500000 /srv/big.bin > /written && echo x > /new";

    [SkippableFact]
    public async Task Ps_size_and_df_container_rows_are_dockers_for_the_same_writes()
    {
        Skip.If(peer.Dockerd.SkipReason is not null, peer.Dockerd.SkipReason);
        const string name = "sizes-1";
        (await peer.Strata.RunAsync("run", "--network", "none", "--name", name, DockerDiffPeer.BigImage, "sh", "-c", Script)).EnsureSuccess();
        (await peer.Dockerd.DockerAsync("run", "--network", "none", "--name", name, DockerDiffPeer.BigImage, "sh", "-c", Script)).EnsureSuccess();
        try
        {
            const string ps = "{{.Names}}|{{.Image}}|{{.Command}}|{{.Size}}";
            var ours = Row((await peer.Strata.RunAsync("ps", "-a", "-s", "--format", ps)).EnsureSuccess().Stdout, name);
            var theirs = Row((await peer.Dockerd.DockerAsync("ps", "-a", "-s", "--format", ps)).EnsureSuccess().Stdout, name);
            Assert.Equal(theirs, ours);
            Assert.Matches($@"^{name}\|big:1\|""sh -c 'busybox head…""\|1\.5MB \(virtual 5\d\dMB\)$", ours);

            // docker's own table: the SIZE column after NAMES.
            var table = (await peer.Strata.RunAsync("ps", "-a", "-s")).EnsureSuccess().Stdout.Split('\n');
            Assert.Matches("^CONTAINER ID +IMAGE +COMMAND +CREATED +STATUS +PORTS +NAMES +SIZE$", table[0]);
            Assert.Matches($@" +Exited \(0\) .+ ago +{name} +1\.5MB \(virtual 5\d\dMB\)$", Row(string.Join('\n', table), name));

            const string df = "{{range .Containers}}{{.Names}}|{{.Image}}|{{.Command}}|{{.Size}}|{{.Status}}\n{{end}}";
            var ourDf = Row((await peer.Strata.RunAsync("system", "df", "-v", "--format", df)).EnsureSuccess().Stdout, name);
            var theirDf = Row((await peer.Dockerd.DockerAsync("system", "df", "-v", "--format", df)).EnsureSuccess().Stdout, name);
            Assert.Equal(Fields(theirDf, 4), Fields(ourDf, 4));
            Assert.Matches(@"^Exited \(0\) (Less than a second|\d+ seconds?) ago$", ourDf.Split('|')[4]);
        }
        finally
        {
            (await peer.Strata.RunAsync("rm", name)).EnsureSuccess();
            (await peer.Dockerd.DockerAsync("rm", name)).EnsureSuccess();
        }
    }

    private static string Row(string output, string name) =>
        output.Split('\n').Single(l => l.StartsWith(name + "|", StringComparison.Ordinal) || l.Contains(" " + name + " ", StringComparison.Ordinal));

    private static string Fields(string row, int count) => string.Join('|', row.Split('|').Take(count));
}
