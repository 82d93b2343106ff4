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
/// A range (<c>8080-8081:80-81</c>, <c>80-81</c>) stands for one mapping per port, as docker
/// expands it; a host range for one container port (docker picks a free port of the range) and
/// IPv6 host addresses are refused with one line naming the value (slirp4netns forwards one IPv4
/// port at a time).
/// </summary>
public static class PortSpec
{
    /// <summary>The one mapping <paramref name="value"/> asks for; host port 0 stands for "pick one at start".</summary>
    /// <exception cref="InvalidArgumentException">Not docker's syntax, or a range; the message names the value.</exception>
    public static PublishedPort Parse(string value)
    {
        var all = ParseAll(value);
        return all.Count == 1 ? all[0] : throw new InvalidArgumentException($"-p \"{value}\": a port range is more than one mapping");
    }

    /// <summary>Every mapping <paramref name="value"/> asks for, a range expanded port by port in order.</summary>
    /// <exception cref="InvalidArgumentException">Not docker's syntax; the message names the value.</exception>
    public static IReadOnlyList<PublishedPort> ParseAll(string value)
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
        var (containerFirst, containerLast) = Range(container, value, "container port");
        var (hostFirst, hostLast) = host.Length == 0 ? (0, 0) : Range(host, value, "host port");
        if (host.Length > 0 && hostLast - hostFirst != containerLast - containerFirst)
        {
            // docker's own words for ranges of different lengths; one container port on a host
            // range docker accepts (it takes a free port of the range), strata does not.
            if (containerFirst == containerLast)
                throw new InvalidArgumentException($"-p \"{value}\": a host port range for one container port is not supported; give one host port");
            throw new InvalidArgumentException($"-p \"{value}\": Invalid ranges specified for container and host Ports: {container} and {host}");
        }
        if (ip.Length == 0) ip = "0.0.0.0";
        if (!IPAddress.TryParse(ip, out var address) || address.AddressFamily != AddressFamily.InterNetwork)
            throw new InvalidArgumentException($"-p \"{value}\": invalid IPv4 address \"{ip}\"");
        var ports = new List<PublishedPort>(containerLast - containerFirst + 1);
        for (int offset = 0; offset <= containerLast - containerFirst; offset++)
            ports.Add(new PublishedPort(address.ToString(), host.Length == 0 ? 0 : hostFirst + offset, containerFirst + offset, protocol));
        return ports;
    }

    /// <summary>A port or <c>FIRST-LAST</c> (docker's ParsePortRange: LAST not below FIRST).</summary>
    private static (int First, int Last) Range(string text, string value, string what)
    {
        int dash = text.IndexOf('-', StringComparison.Ordinal);
        if (dash < 0)
        {
            int port = Port(text, value, what);
            return (port, port);
        }
        int first = Port(text[..dash], value, what);
        int last = Port(text[(dash + 1)..], value, what);
        if (last < first) throw new InvalidArgumentException($"-p \"{value}\": invalid {what} range \"{text}\": the end is below the start");
        return (first, last);
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
