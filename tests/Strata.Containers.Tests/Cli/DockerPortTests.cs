using Strata.Build.IntegrationTests.Fixtures;
using Strata.Containers.Tests.Fixtures;

namespace Strata.Containers.Tests.Cli;

/// <summary>
/// <c>port</c> and PORTS next to the real docker engine (20.10). Its engine runs with
/// <c>--bridge=none</c>, so only what a container without published ports shows can be compared
/// here; published ports are checked against docker's documented formats in <see cref="NetworkTests"/>.
/// </summary>
[Collection(DockerDiffGroup.Name)]
public sealed class DockerPortTests(DockerDiffPeer peer)
{
    [SkippableFact]
    public async Task Port_and_PORTS_of_a_container_without_published_ports_are_dockers()
    {
        Skip.If(peer.Dockerd.SkipReason is not null, peer.Dockerd.SkipReason);
        const string name = "dp-none";
        (await peer.Strata.RunAsync("run", "-d", "--name", name, "--network", "none", "base:1", "sleep", "1000")).EnsureSuccess();
        (await peer.Dockerd.DockerAsync("run", "-d", "--name", name, "--network", "none", "base:1", "sleep", "1000")).EnsureSuccess();
        try
        {
            foreach (var args in new[] { new[] { "port", name }, ["port", name, "80"], ["port", name, "53/udp"] })
            {
                var ours = await peer.Strata.RunAsync(args);
                var theirs = await peer.Dockerd.DockerAsync(args);
                Assert.Equal((theirs.ExitCode, theirs.Stdout, theirs.Stderr), (ours.ExitCode, ours.Stdout, ours.Stderr));
            }
            Assert.Equal("Error: No public port '80/tcp' published for dp-none\n", (await peer.Strata.RunAsync("port", name, "80")).Stderr);

            string[] format = ["ps", "--format", "{{.Names}}={{.Ports}}"];
            var ourRow = (await peer.Strata.RunAsync(format)).EnsureSuccess().Stdout.Split('\n').Single(l => l.StartsWith(name + "=", StringComparison.Ordinal));
            var theirRow = (await peer.Dockerd.DockerAsync(format)).EnsureSuccess().Stdout.Split('\n').Single(l => l.StartsWith(name + "=", StringComparison.Ordinal));
            Assert.Equal(theirRow, ourRow);
            Assert.Equal(name + "=", ourRow);
        }
        finally
        {
            await peer.Strata.RunAsync("rm", "-f", name);
            await peer.Dockerd.DockerAsync("rm", "-f", name);
        }
    }
}
