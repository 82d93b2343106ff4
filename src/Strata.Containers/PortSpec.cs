using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Strata.Core;
using Strata.Execution;

namespace Strata.Containers;

/// <summary>
/// docker's <c>-p</c> syntax, <c>[IP:][HOSTPORT:]CONTAINERPORT[/PROTOCOL]</c>: <c>80</c>,
/// <c>8080:80</c>, <c>127.0.0.1:8080:80</c>, <c>127.0.0.1::80/udp</c>. No IP means every IPv4
/// address (<c>0.0.0.0</c>); no host port means one the kernel picks when the container starts.
/// Port ranges and IPv6 host addresses are refused (slirp4netns forwards one IPv4 port at a time).
/// </summary>
public static class PortSpec
{
    /// <summary>The mapping <paramref name="value"/> asks for; host port 0 stands for "pick one at start".</summary>
    /// <exception cref="InvalidArgumentException">Not docker's syntax; the message names the value.</exception>
    public static PublishedPort Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var rest = value;
        var protocol = "tcp";
        int slash = rest.LastIndexOf('/');
        if (slash >= 0)
        {
            protocol = rest[(slash + 1)..].ToLowerInvariant();
            rest = rest[..slash];
            if (protocol is not ("tcp" or "udp")) throw new InvalidArgumentException($"-p \"{value}\": invalid protocol \"{protocol}\": want tcp or udp");
        }
        if (rest.StartsWith('[')) throw new InvalidArgumentException($"-p \"{value}\": IPv6 host addresses are not supported; give an IPv4 address");
        var parts = rest.Split(':');
        var (ip, host, container) = parts.Length switch
        {
            1 => ("", "", parts[0]),
            2 => ("", parts[0], parts[1]),
            3 => (parts[0], parts[1], parts[2]),
            _ => throw new InvalidArgumentException($"-p \"{value}\": want [IP:][HOSTPORT:]CONTAINERPORT[/PROTOCOL]"),
        };
        if (container.Contains('-', StringComparison.Ordinal) || host.Contains('-', StringComparison.Ordinal))
            throw new InvalidArgumentException($"-p \"{value}\": port ranges are not supported; publish each port");
        int containerPort = Port(container, value, "container port");
        int hostPort = host.Length == 0 ? 0 : Port(host, value, "host port");
        if (ip.Length == 0) ip = "0.0.0.0";
        if (!IPAddress.TryParse(ip, out var address) || address.AddressFamily != AddressFamily.InterNetwork)
            throw new InvalidArgumentException($"-p \"{value}\": invalid IPv4 address \"{ip}\"");
        return new PublishedPort(address.ToString(), hostPort, containerPort, protocol);
    }

    /// <summary>
    /// Gives every mapping without a host port a free one on its address, as docker takes one from
    /// the ephemeral range: the kernel picks it for a socket bound to port 0, which is then closed
    /// and handed to the network.
    /// </summary>
    public static IReadOnlyList<PublishedPort> ChooseHostPorts(IEnumerable<PublishedPort> ports)
    {
        ArgumentNullException.ThrowIfNull(ports);
        return [.. ports.Select(p => p.HostPort != 0 ? p : p with { HostPort = FreePort(p) })];
    }

    private static int FreePort(PublishedPort port)
    {
        var endpoint = new IPEndPoint(IPAddress.Parse(port.HostIp), 0);
        using var socket = port.Protocol == "udp"
            ? new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp)
            : new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(endpoint);
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    private static int Port(string text, string value, string what) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int port) && port is >= 1 and <= 65535
            ? port
            : throw new InvalidArgumentException($"-p \"{value}\": invalid {what} \"{text}\": want 1-65535");
}
