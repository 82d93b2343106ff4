using Strata.Cli.Formatting;
using Strata.Containers;
using Strata.Core;
using Strata.Execution;

namespace Strata.Cli.Tests.Formatting;

/// <summary>
/// The PORTS column and <c>port</c> lines against docker's documented output: the cases are
/// docker 20.10's own table for <c>DisplayablePorts</c> (cli/command/formatter), since the
/// docker engine the differential tests start has no bridge network to publish ports on.
/// </summary>
public sealed class DockerPortsTests
{
    public static TheoryData<string, string> DockerCases() => new()
    {
        { ",0,9988,tcp", "9988/tcp" },
        { ",0,9988,udp", "9988/udp" },
        { "0.0.0.0,0,9988,tcp", "0.0.0.0:0->9988/tcp" },
        { ",8899,9988,tcp", "9988/tcp" },
        { "4.3.2.1,8899,9988,tcp", "4.3.2.1:8899->9988/tcp" },
        { "4.3.2.1,9988,9988,tcp", "4.3.2.1:9988->9988/tcp" },
        { "1.2.3.4,9998,9998,udp;1.2.3.4,9999,9999,udp", "1.2.3.4:9998-9999->9998-9999/udp" },
        { "1.2.3.4,8887,9998,udp;1.2.3.4,8888,9999,udp", "1.2.3.4:8887->9998/udp, 1.2.3.4:8888->9999/udp" },
        { ",0,9998,udp;,0,9999,udp", "9998-9999/udp" },
        { "1.2.3.4,7766,6677,tcp;,8899,9988,udp", "9988/udp, 1.2.3.4:7766->6677/tcp" },
        {
            "1.2.3.4,8899,9988,udp;1.2.3.4,8899,9988,tcp;4.3.2.1,3322,2233,tcp",
            "4.3.2.1:3322->2233/tcp, 1.2.3.4:8899->9988/tcp, 1.2.3.4:8899->9988/udp"
        },
        {
            ",8899,9988,udp;1.2.3.4,7766,6677,tcp;4.3.2.1,3322,2233,tcp",
            "9988/udp, 4.3.2.1:3322->2233/tcp, 1.2.3.4:7766->6677/tcp"
        },
        {
            ",0,80,tcp;,0,1024,tcp;,0,80,udp;,0,1024,udp;1.1.1.1,80,1024,tcp;1.1.1.1,80,1024,udp;1.1.1.1,1024,80,tcp;1.1.1.1,1024,80,udp;2.1.1.1,80,1024,tcp;2.1.1.1,80,1024,udp;2.1.1.1,1024,80,tcp;2.1.1.1,1024,80,udp;,0,12345,sctp",
            "80/tcp, 80/udp, 1024/tcp, 1024/udp, 12345/sctp, 1.1.1.1:1024->80/tcp, 1.1.1.1:1024->80/udp, 2.1.1.1:1024->80/tcp, 2.1.1.1:1024->80/udp, 1.1.1.1:80->1024/tcp, 1.1.1.1:80->1024/udp, 2.1.1.1:80->1024/tcp, 2.1.1.1:80->1024/udp"
        },
    };

    [Theory]
    [MemberData(nameof(DockerCases))]
    public void Ports_column_is_dockers_DisplayablePorts(string ports, string expected) =>
        Assert.Equal(expected, DockerPorts.Display([.. ports.Split(';').Select(Port)]));

    /// <summary>"IP,PUBLIC,PRIVATE,TYPE", as docker's table gives each types.Port.</summary>
    private static DockerPorts.Port Port(string text)
    {
        var f = text.Split(',');
        return new DockerPorts.Port(f[0], int.Parse(f[1], System.Globalization.CultureInfo.InvariantCulture), int.Parse(f[2], System.Globalization.CultureInfo.InvariantCulture), f[3]);
    }

    private static ContainerState Running(IReadOnlyList<PublishedPort> ports, IReadOnlyList<string> exposed) => new()
    {
        Id = new string('a', 64),
        Name = "web",
        ImageId = Digest.Parse("sha256:" + new string('b', 64)),
        Image = "web:1",
        SnapshotKey = "container-a",
        Command = ["httpd"],
        CreatedAt = DateTimeOffset.UnixEpoch,
        Status = ContainerStatus.Running,
        Ports = ports,
        ExposedPorts = exposed,
    };

    [Fact]
    public void A_running_container_lists_published_ports_and_unpublished_exposed_ones()
    {
        var c = Running([new("127.0.0.1", 8080, 80, "tcp"), new("0.0.0.0", 5353, 53, "udp")], ["80/tcp", "443/tcp"]);

        Assert.Equal("443/tcp, 0.0.0.0:5353->53/udp, 127.0.0.1:8080->80/tcp", DockerPorts.Column(c));
        Assert.Equal(["53/udp -> 0.0.0.0:5353", "80/tcp -> 127.0.0.1:8080"], DockerPorts.Lines(c));
        Assert.Equal(["127.0.0.1:8080"], DockerPorts.Lines(c, "80"));
        Assert.Equal(["0.0.0.0:5353"], DockerPorts.Lines(c, "53/udp"));
        Assert.Null(DockerPorts.Lines(c, "53"));
        Assert.Null(DockerPorts.Lines(c, "443/tcp"));
    }

    [Fact]
    public void An_exited_container_has_no_ports_as_in_docker()
    {
        var c = Running([new("0.0.0.0", 8080, 80, "tcp")], ["80/tcp"]) with { Status = ContainerStatus.Exited };

        Assert.Equal("", DockerPorts.Column(c));
        Assert.Empty(DockerPorts.Lines(c));
        Assert.Null(DockerPorts.Lines(c, "80"));
    }
}
