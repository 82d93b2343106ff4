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
    public static string Hosts(string hostname) =>
        $"127.0.0.1\tlocalhost {hostname}\n::1\tlocalhost ip6-localhost ip6-loopback\n";

    /// <summary>Writes the three files into <paramref name="directory"/>.</summary>
    public static async Task WriteAsync(string directory, string hostname, string hostResolvConf, CancellationToken ct)
    {
        await File.WriteAllTextAsync(Path.Combine(directory, "hosts"), Hosts(hostname), Encoding.ASCII, ct).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(directory, "hostname"), hostname + "\n", Encoding.ASCII, ct).ConfigureAwait(false);
        // The host's resolver configuration, as BuildKit passes it; an absent one gives an empty
        // file (the mount must still hide whatever the image has, or the image's would be used).
        var resolv = File.Exists(hostResolvConf) ? await File.ReadAllBytesAsync(hostResolvConf, ct).ConfigureAwait(false) : [];
        await File.WriteAllBytesAsync(Path.Combine(directory, "resolv.conf"), resolv, ct).ConfigureAwait(false);
    }
}
