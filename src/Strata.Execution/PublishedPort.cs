using System.Globalization;

namespace Strata.Execution;

/// <summary>A host port forwarded into the container (<c>-p HOSTIP:HOSTPORT:CONTAINERPORT/PROTOCOL</c>).</summary>
/// <param name="HostIp">The host address listened on, as text (<c>0.0.0.0</c>: every IPv4 address).</param>
/// <param name="HostPort">The host port, 1-65535.</param>
/// <param name="ContainerPort">The port inside the container, 1-65535.</param>
/// <param name="Protocol"><c>tcp</c> or <c>udp</c>.</param>
public sealed record PublishedPort(string HostIp, int HostPort, int ContainerPort, string Protocol)
{
    /// <summary>As docker's PORTS column writes one mapping: <c>0.0.0.0:8080->80/tcp</c>.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{HostIp}:{HostPort}->{ContainerPort}/{Protocol}");
}
