using System.Net;
using System.Net.Sockets;

namespace Strata.Registry.Auth;

/// <summary>
/// A token realm is an address the registry tells us to send credentials to, so it is checked
/// before anything goes there: never from https down to http, never to a link-local address
/// (169.254.0.0/16, fe80::/10: where cloud metadata services answer) nor a known metadata name.
/// </summary>
internal static class RealmCheck
{
    private static readonly string[] MetadataHosts = ["metadata.google.internal", "metadata", "instance-data"];

    /// <returns>Why the realm is refused, or null when it may be used.</returns>
    public static async Task<string?> RefusalAsync(Uri realm, Uri registry, CancellationToken cancellationToken)
    {
        if (!realm.IsAbsoluteUri || (realm.Scheme != Uri.UriSchemeHttps && realm.Scheme != Uri.UriSchemeHttp))
            return "it is not an http(s) address";
        if (registry.Scheme == Uri.UriSchemeHttps && realm.Scheme == Uri.UriSchemeHttp)
            return "it downgrades https to plain http";
        var host = realm.IdnHost.Trim('[', ']');
        if (MetadataHosts.Contains(host, StringComparer.OrdinalIgnoreCase)) return "it is a cloud metadata address";
        IPAddress[] addresses;
        if (IPAddress.TryParse(host, out var literal))
        {
            addresses = [literal];
        }
        else
        {
            try
            {
                addresses = await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException)
            {
                return null; // Unresolvable: the request itself will fail and say so.
            }
        }
        return addresses.Any(IsLinkLocal) ? "it is a link-local (cloud metadata) address" : null;
    }

    private static bool IsLinkLocal(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return b[0] == 169 && b[1] == 254;
        }
        // fd00:ec2::254 is EC2's IPv6 metadata service.
        return address.IsIPv6LinkLocal || address.Equals(IPAddress.Parse("fd00:ec2::254"));
    }
}
