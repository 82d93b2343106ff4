using System.Net;
using Strata.Core;

namespace Strata.Execution;

/// <summary>An extra line of the container's <c>/etc/hosts</c> (<c>--add-host HOST:IP</c>).</summary>
/// <param name="Host">The host name.</param>
/// <param name="Address">An IPv4 or IPv6 address as text, or <see cref="HostGateway"/>.</param>
public sealed record HostEntry(string Host, string Address)
{
    /// <summary>
    /// Docker's special address: the executor writes the address at which the host's loopback
    /// services are reachable from the container (see <see cref="ContainerSpec.ExtraHosts"/>).
    /// </summary>
    public const string HostGateway = "host-gateway";

    /// <summary>
    /// <c>HOST:IP</c> as <c>--add-host</c> takes it (split at the first colon, so <c>h:::1</c> is an
    /// IPv6 address), IP being an address or <c>host-gateway</c>.
    /// </summary>
    /// <exception cref="InvalidArgumentException">Not HOST:IP; the message names the value.</exception>
    public static HostEntry Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        int colon = value.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon == value.Length - 1) throw new InvalidArgumentException($"--add-host \"{value}\": want HOST:IP");
        var host = value[..colon];
        var address = value[(colon + 1)..];
        if (host.Any(char.IsWhiteSpace)) throw new InvalidArgumentException($"--add-host \"{value}\": invalid host name \"{host}\"");
        if (address == HostGateway) return new HostEntry(host, HostGateway);
        if (!IPAddress.TryParse(address, out var ip)) throw new InvalidArgumentException($"--add-host \"{value}\": invalid IP address \"{address}\"");
        // Written as BuildKit writes it (Go's canonical form of the address).
        return new HostEntry(host, ip.ToString());
    }
}
