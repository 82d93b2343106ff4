using System.Text;
using Strata.Execution.Network;

namespace Strata.Execution;

/// <summary>
/// Writes the <c>hosts</c>, <c>resolv.conf</c> and <c>hostname</c> files a container sees in
/// <c>/etc</c>. They live in the bundle directory, never in the root filesystem, so the build
/// host's network configuration cannot leak into a layer.
/// </summary>
internal static class EtcFiles
{
    /// <summary>What <c>/etc/hosts</c> holds: localhost and the container's hostname on loopback (as BuildKit writes it).</summary>
    /// <remarks>Extra hosts follow, one <c>ADDRESS\tHOST</c> line each, in the order given (as BuildKit appends them).</remarks>
    public static string Hosts(string hostname, IReadOnlyList<HostEntry>? extraHosts = null)
    {
        var sb = new StringBuilder($"127.0.0.1\tlocalhost {hostname}\n::1\tlocalhost ip6-localhost ip6-loopback\n");
        foreach (var entry in extraHosts ?? []) sb.Append(entry.Address).Append('\t').Append(entry.Host).Append('\n');
        return sb.ToString();
    }

    /// <summary>The address <see cref="HostEntry.HostGateway"/> stands for on <paramref name="network"/> (see <see cref="ContainerSpec.ExtraHosts"/>).</summary>
    public static string HostGatewayAddress(NetworkMode network) => network == NetworkMode.Host ? "127.0.0.1" : SlirpNetwork.GatewayAddress;

    /// <summary>True when an extra host names <see cref="HostEntry.HostGateway"/>: slirp4netns must then let the container reach the host's loopback.</summary>
    public static bool WantsHostGateway(IReadOnlyList<HostEntry>? extraHosts) =>
        extraHosts?.Any(h => h.Address == HostEntry.HostGateway) == true;

    /// <summary>Writes the three files into <paramref name="directory"/>.</summary>
    public static async Task WriteAsync(string directory, ContainerSpec spec, string hostResolvConf, CancellationToken ct)
    {
        var gateway = HostGatewayAddress(spec.Network);
        var extraHosts = spec.ExtraHosts?.Select(h => h.Address == HostEntry.HostGateway ? h with { Address = gateway } : h).ToList();
        await File.WriteAllTextAsync(Path.Combine(directory, "hosts"), Hosts(spec.Hostname, extraHosts), Encoding.ASCII, ct).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(directory, "hostname"), spec.Hostname + "\n", Encoding.ASCII, ct).ConfigureAwait(false);
        // The host's resolver configuration, as BuildKit passes it; an absent one gives an empty
        // file (the mount must still hide whatever the image has, or the image's would be used).
        // On the NAT network, loopback nameservers are replaced as docker replaces them.
        var resolv = File.Exists(hostResolvConf) ? await File.ReadAllBytesAsync(hostResolvConf, ct).ConfigureAwait(false) : [];
        if (spec.Network == NetworkMode.Nat) resolv = Encoding.UTF8.GetBytes(ResolvConf.ForNat(Encoding.UTF8.GetString(resolv)));
        await File.WriteAllBytesAsync(Path.Combine(directory, "resolv.conf"), resolv, ct).ConfigureAwait(false);
    }
}
