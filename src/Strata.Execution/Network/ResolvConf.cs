using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Strata.Execution.Network;

/// <summary>
/// The container's <c>/etc/resolv.conf</c> on the NAT network, made from the host's as docker
/// makes it for a bridge network (moby's <c>FilterResolvDNS</c>): a loopback nameserver
/// (systemd-resolved's 127.0.0.53, a local dnsmasq) means nothing inside the container's own
/// namespace, and IPv6 ones are unreachable without IPv6, so those lines go. Where docker then
/// falls back to Google's 8.8.8.8, this writes slirp4netns's forwarder
/// (<see cref="SlirpNetwork.DnsAddress"/>), which asks the host's own resolvers, so a network that
/// blocks outside DNS still resolves. Everything else (search, options) is kept as written.
/// </summary>
internal static class ResolvConf
{
    public static string ForNat(string host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var sb = new StringBuilder();
        bool anyNameserver = false;
        foreach (var line in host.Split('\n'))
        {
            if (NameserverOf(line) is { } address)
            {
                if (IPAddress.IsLoopback(address) || address.AddressFamily == AddressFamily.InterNetworkV6) continue;
                anyNameserver = true;
            }
            sb.Append(line).Append('\n');
        }
        // Split leaves one empty piece after a final newline: it was not a line of its own.
        var text = host.EndsWith('\n') || host.Length == 0 ? sb.ToString(0, sb.Length - 1) : sb.ToString();
        if (!anyNameserver)
        {
            if (text.Length > 0 && !text.EndsWith('\n')) text += "\n";
            text += $"nameserver {SlirpNetwork.DnsAddress}\n";
        }
        return text;
    }

    private static IPAddress? NameserverOf(string line)
    {
        var words = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (words.Length < 2 || words[0] != "nameserver") return null;
        // A zone suffix (fe80::1%eth0) does not parse on its own.
        return IPAddress.TryParse(words[1].Split('%')[0], out var address) ? address : null;
    }
}
