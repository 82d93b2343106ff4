using System.Text;

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

    /// <summary>Writes the three files into <paramref name="directory"/>.</summary>
    public static async Task WriteAsync(string directory, string hostname, IReadOnlyList<HostEntry>? extraHosts, string hostResolvConf, CancellationToken ct)
    {
        await File.WriteAllTextAsync(Path.Combine(directory, "hosts"), Hosts(hostname, extraHosts), Encoding.ASCII, ct).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(directory, "hostname"), hostname + "\n", Encoding.ASCII, ct).ConfigureAwait(false);
        // The host's resolver configuration, as BuildKit passes it; an absent one gives an empty
        // file (the mount must still hide whatever the image has, or the image's would be used).
        var resolv = File.Exists(hostResolvConf) ? await File.ReadAllBytesAsync(hostResolvConf, ct).ConfigureAwait(false) : [];
        await File.WriteAllBytesAsync(Path.Combine(directory, "resolv.conf"), resolv, ct).ConfigureAwait(false);
    }
}
