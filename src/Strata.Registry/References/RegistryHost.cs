using System.Net;
using Strata.Core;

namespace Strata.Registry.References;

/// <summary>
/// Where a reference's registry is reached: docker.io's API lives at
/// <c>registry-1.docker.io</c> (as docker resolves it); every other domain is its own host.
/// Loopback hosts may be spoken to over plain http, as docker allows by default.
/// </summary>
internal static class RegistryHost
{
    public const string DockerHubEndpoint = "registry-1.docker.io";

    /// <summary>The <c>host[:port]</c> the API of <paramref name="domain"/> answers on.</summary>
    public static string EndpointOf(string domain) => domain == ImageReference.DefaultDomain ? DockerHubEndpoint : domain;

    /// <summary>True for <c>localhost</c>, 127.0.0.0/8 and ::1, with or without a port.</summary>
    public static bool IsLoopback(string hostAndPort)
    {
        var host = HostOf(hostAndPort);
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase)) return true;
        return IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address);
    }

    /// <summary>The host without its port (and without brackets for an IPv6 literal).</summary>
    public static string HostOf(string hostAndPort)
    {
        ArgumentNullException.ThrowIfNull(hostAndPort);
        if (hostAndPort.StartsWith('['))
        {
            int end = hostAndPort.IndexOf(']', StringComparison.Ordinal);
            return end > 0 ? hostAndPort[1..end] : hostAndPort;
        }
        int colon = hostAndPort.LastIndexOf(':');
        return colon >= 0 ? hostAndPort[..colon] : hostAndPort;
    }
}
