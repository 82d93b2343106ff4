using Strata.Core;
using Strata.Execution;

namespace Strata.Containers.Tests.Containers;

public sealed class PortSpecTests
{
    [Theory]
    [InlineData("80", "0.0.0.0", 0, 80, "tcp")]
    [InlineData("8080:80", "0.0.0.0", 8080, 80, "tcp")]
    [InlineData("127.0.0.1:8080:80", "127.0.0.1", 8080, 80, "tcp")]
    [InlineData("127.0.0.1::80/udp", "127.0.0.1", 0, 80, "udp")]
    [InlineData("5353:53/UDP", "0.0.0.0", 5353, 53, "udp")]
    [InlineData("8080:80/tcp", "0.0.0.0", 8080, 80, "tcp")]
    public void Docker_publish_syntax_reads_as_docker_reads_it(string value, string ip, int host, int container, string protocol) =>
        Assert.Equal(new PublishedPort(ip, host, container, protocol), PortSpec.Parse(value));

    [Theory]
    [InlineData("8080-8081:80-81", "0.0.0.0:8080->80/tcp|0.0.0.0:8081->81/tcp")]
    [InlineData("80-81", "0.0.0.0:0->80/tcp|0.0.0.0:0->81/tcp")]
    [InlineData("127.0.0.1:8080-8081:80-81/udp", "127.0.0.1:8080->80/udp|127.0.0.1:8081->81/udp")]
    [InlineData("127.0.0.1:9000-9000:53-53/udp", "127.0.0.1:9000->53/udp")]
    public void A_range_is_one_mapping_per_port_as_docker_expands_it(string value, string expected)
    {
        // docker create -p VALUE: PortBindings {"80/tcp":[{"HostPort":"8080"}],"81/tcp":[{"HostPort":"8081"}]} and so on.
        Assert.Equal(expected.Split('|'), PortSpec.ParseAll(value).Select(p => $"{p.HostIp}:{p.HostPort}->{p.ContainerPort}/{p.Protocol}"));
        Assert.Throws<InvalidArgumentException>(() => PortSpec.Parse("80-81"));
    }

    [Theory]
    [InlineData("80/sctp", "invalid protocol \"sctp\"")]
    [InlineData("http", "invalid container port \"http\"")]
    [InlineData("8080:0", "invalid container port \"0\"")]
    [InlineData("70000:80", "invalid host port \"70000\"")]
    [InlineData("8080-8082:80-81", "Invalid ranges specified for container and host Ports: 80-81 and 8080-8082")]
    [InlineData("8080-8081:80", "a host port range for one container port is not supported")]
    [InlineData("81-80", "invalid container port range \"81-80\"")]
    [InlineData("8080-x:80-81", "invalid host port \"x\"")]
    [InlineData("example.com:8080:80", "invalid IPv4 address \"example.com\"")]
    [InlineData("[::1]:8080:80", "IPv6 host addresses are not supported")]
    [InlineData("1:2:3:4", "want [IP:][HOSTPORT:]CONTAINERPORT[/PROTOCOL]")]
    public void Bad_publish_values_are_one_error_naming_the_value(string value, string message)
    {
        var e = Assert.Throws<InvalidArgumentException>(() => PortSpec.Parse(value));
        Assert.StartsWith($"-p \"{value}\": ", e.Message, StringComparison.Ordinal);
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_host_port_gets_a_free_one_and_given_ones_are_kept()
    {
        var chosen = PortSpec.ChooseHostPorts([new("127.0.0.1", 0, 80, "tcp"), new("127.0.0.1", 0, 53, "udp"), new("127.0.0.1", 8080, 81, "tcp")]);

        Assert.InRange(chosen[0].HostPort, 1, 65535);
        Assert.InRange(chosen[1].HostPort, 1, 65535);
        Assert.Equal(new PublishedPort("127.0.0.1", 8080, 81, "tcp"), chosen[2]);
        // The chosen port is free: a listener can take it now.
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, chosen[0].HostPort);
        listener.Start();
    }
}
