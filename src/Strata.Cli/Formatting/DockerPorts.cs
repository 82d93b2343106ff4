using System.Globalization;
using Strata.Containers;

namespace Strata.Cli.Formatting;

/// <summary>
/// A container's ports as the docker CLI prints them: the PORTS column of <c>ps</c> (docker
/// 20.10's <c>DisplayablePorts</c>) and the lines of <c>port</c>.
/// </summary>
internal static class DockerPorts
{
    /// <summary>One port of docker's <c>types.Port</c>: an exposed one has no IP and public port.</summary>
    internal readonly record struct Port(string Ip, int Public, int Private, string Type);

    /// <summary>
    /// docker's PORTS: ports sorted by private port, IP, public port and type; a mapping whose host
    /// port differs from the container's as <c>IP:HOST->PRIVATE/TYPE</c>, after the others; runs of
    /// consecutive ports with one key grouped as ranges (<c>8000-8001/tcp</c>,
    /// <c>0.0.0.0:80-81->80-81/tcp</c>). Empty unless the container runs.
    /// </summary>
    public static string Column(ContainerState container)
    {
        ArgumentNullException.ThrowIfNull(container);
        if (container.Status != ContainerStatus.Running) return "";
        var published = container.Ports ?? [];
        var ports = published.Select(p => new Port(p.HostIp, p.HostPort, p.ContainerPort, p.Protocol)).ToList();
        // An exposed port that is also published shows only as its mapping (docker keeps one entry per binding).
        foreach (var exposed in container.ExposedPorts ?? [])
        {
            var (number, type) = Split(exposed);
            if (!published.Any(p => p.ContainerPort == number && p.Protocol == type)) ports.Add(new Port("", 0, number, type));
        }
        return Display(ports);
    }

    /// <summary>docker 20.10's <c>DisplayablePorts</c> over <paramref name="ports"/>.</summary>
    internal static string Display(List<Port> ports)
    {
        ports.Sort((a, b) =>
            a.Private != b.Private ? a.Private.CompareTo(b.Private)
            : a.Ip != b.Ip ? string.CompareOrdinal(a.Ip, b.Ip)
            : a.Public != b.Public ? a.Public.CompareTo(b.Public)
            : string.CompareOrdinal(a.Type, b.Type));

        var groups = new Dictionary<string, (int First, int Last)>(StringComparer.Ordinal);
        var order = new List<string>();
        var result = new List<string>();
        var hostMappings = new List<string>();
        foreach (var port in ports)
        {
            var key = port.Type;
            if (port.Ip.Length > 0)
            {
                if (port.Public != port.Private)
                {
                    hostMappings.Add(string.Create(CultureInfo.InvariantCulture, $"{port.Ip}:{port.Public}->{port.Private}/{port.Type}"));
                    continue;
                }
                key = port.Ip + "/" + port.Type;
            }
            if (!groups.TryGetValue(key, out var group))
            {
                groups[key] = (port.Private, port.Private);
                order.Add(key);
                continue;
            }
            if (port.Private == group.Last + 1)
            {
                groups[key] = (group.First, port.Private);
                continue;
            }
            result.Add(FormGroup(key, group.First, group.Last));
            groups[key] = (port.Private, port.Private);
        }
        result.AddRange(order.Select(k => FormGroup(k, groups[k].First, groups[k].Last)));
        result.AddRange(hostMappings);
        return string.Join(", ", result);
    }

    /// <summary>
    /// <c>port C</c>: one <c>80/tcp -> 0.0.0.0:8080</c> line per published port, in natural order
    /// (docker 20.10 walks a Go map, so its order varies; later CLIs sort as here).
    /// </summary>
    public static IReadOnlyList<string> Lines(ContainerState container)
    {
        ArgumentNullException.ThrowIfNull(container);
        return [.. Published(container).OrderBy(p => p.ContainerPort).ThenBy(p => p.Protocol, StringComparer.Ordinal).ThenBy(p => p.HostIp, StringComparer.Ordinal).ThenBy(p => p.HostPort)
            .Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.ContainerPort}/{p.Protocol} -> {p.HostIp}:{p.HostPort}"))];
    }

    /// <summary><c>port C PRIVATE[/PROTO]</c>: the <c>IP:PORT</c> lines of that container port (tcp unless named); null when it is not published.</summary>
    public static IReadOnlyList<string>? Lines(ContainerState container, string privatePort)
    {
        ArgumentNullException.ThrowIfNull(container);
        ArgumentNullException.ThrowIfNull(privatePort);
        var (number, type) = Split(privatePort);
        var matches = Published(container).Where(p => p.ContainerPort == number && p.Protocol == type).OrderBy(p => p.HostIp, StringComparer.Ordinal).ThenBy(p => p.HostPort).ToList();
        return matches.Count == 0 ? null : [.. matches.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.HostIp}:{p.HostPort}"))];
    }

    /// <summary>docker's key of a port: <c>80</c> is <c>80/tcp</c>.</summary>
    public static string Key(string port) => port.Contains('/', StringComparison.Ordinal) ? port : port + "/tcp";

    private static IEnumerable<Execution.PublishedPort> Published(ContainerState container) =>
        container.Status == ContainerStatus.Running ? container.Ports ?? [] : [];

    private static (int Number, string Type) Split(string port)
    {
        var parts = Key(port).Split('/', 2);
        return (int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n : -1, parts[1].ToLowerInvariant());
    }

    private static string FormGroup(string key, int first, int last)
    {
        var parts = key.Split('/');
        var type = parts[0];
        var ip = "";
        if (parts.Length > 1)
        {
            ip = parts[0];
            type = parts[1];
        }
        var group = first.ToString(CultureInfo.InvariantCulture);
        if (first != last) group += "-" + last.ToString(CultureInfo.InvariantCulture);
        if (ip.Length > 0) group = $"{ip}:{group}->{group}";
        return $"{group}/{type}";
    }
}
