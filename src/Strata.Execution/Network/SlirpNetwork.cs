using System.Diagnostics;
using System.Globalization;
using Strata.Core;

namespace Strata.Execution.Network;

/// <summary>
/// The NAT network of one container (<see cref="NetworkMode.Nat"/>): Debian's slirp4netns,
/// attached to a network namespace that is pinned on a file before the container starts (see
/// <see cref="NetworkNamespace"/>). Chosen over pasta because it is what rootless podman and
/// BuildKit used for years, it works the same for root and for a rootless strata (it needs no
/// privilege beyond the namespace), and bookworm's slirp4netns 1.2 has the API port forwarding
/// needs, where bookworm's passt is an early 2023 snapshot.
/// <list type="bullet">
/// <item><c>--configure</c>: the namespace gets <c>tap0</c> as 10.0.2.100/24, default route via
/// 10.0.2.2, loopback up; MTU 65520 as podman sets it (fewer, larger segments through the NAT).</item>
/// <item><c>--disable-host-loopback</c> unless the container asked for the host gateway: 10.0.2.2
/// otherwise reaches every service bound to the host's 127.0.0.1.</item>
/// <item><c>--enable-sandbox --enable-seccomp</c>: slirp4netns parses the container's packets, so
/// it runs in an empty root with few capabilities and system calls.</item>
/// <item>Readiness is slirp4netns's <c>--ready-fd</c> (a byte once the interface is up), read
/// through its standard output; no sleep.</item>
/// <item>Lifetime is <c>--exit-fd</c>: the read end of a pipe only this process writes to (its
/// standard input). Closing it stops slirp4netns; so does this process's death by any means, so
/// a killed strata leaves no slirp4netns behind.</item>
/// </list>
/// </summary>
internal sealed class SlirpNetwork : IAsyncDisposable
{
    /// <summary>Where the host's loopback answers (when allowed) and the container's default route.</summary>
    public const string GatewayAddress = "10.0.2.2";

    /// <summary>slirp4netns's DNS forwarder: queries go to the host's own resolvers.</summary>
    public const string DnsAddress = "10.0.2.3";

    private const string ApiSocketName = "slirp4netns.sock";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);

    private readonly Process _process;
    private readonly Task<string> _log;

    private SlirpNetwork(Process process, Task<string> log)
    {
        _process = process;
        _log = log;
    }

    /// <summary>
    /// Starts slirp4netns on the namespace pinned at <paramref name="netnsPath"/>, waits until the
    /// interface is configured and forwards <paramref name="ports"/>. <paramref name="directory"/>
    /// (the bundle) holds its API socket.
    /// </summary>
    /// <exception cref="ContainerStartException">slirp4netns failed or a port could not be published.</exception>
    public static async Task<SlirpNetwork> StartAsync(string slirpPath, string shellPath, string unsharePath, string netnsPath, string directory, bool hostLoopback, IReadOnlyList<PublishedPort> ports, CancellationToken ct)
    {
        // sh only moves descriptors: fd 3 (ready) is our stdout pipe, fd 4 (exit) our stdin
        // pipe, and slirp4netns's chatter goes to stderr. "$0" "$@" keeps the arguments unquoted.
        // unshare first gives slirp4netns a mount namespace that is private all the way down:
        // its sandbox makes only "/" private (not recursively) before it pivots and detaches the
        // old root, so as root every shared mount below "/" would be unmounted on the host too
        // (other engines' container root filesystems vanished mid-start: libpod#4113).
        var psi = new ProcessStartInfo(shellPath)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = directory,
        };
        List<string> args = ["-c", "exec \"$0\" --mount --propagation private -- \"$@\" 3>&1 1>&2 4<&0 0</dev/null", unsharePath, slirpPath, "--configure", "--mtu=65520"];
        if (!hostLoopback) args.Add("--disable-host-loopback");
        args.AddRange(["--enable-sandbox", "--enable-seccomp", "--netns-type=path", "--ready-fd=3", "--exit-fd=4"]);
        // A relative path: the bundle's absolute path can exceed the 107 bytes a socket path may have.
        if (ports.Count > 0) args.Add("--api-socket=" + ApiSocketName);
        args.AddRange([netnsPath, "tap0"]);
        foreach (var a in args) psi.ArgumentList.Add(a);

        var process = Process.Start(psi) ?? throw new ContainerStartException($"could not start {slirpPath}");
        var network = new SlirpNetwork(process, process.StandardError.ReadToEndAsync(CancellationToken.None));
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(StartTimeout);
            var ready = new byte[1];
            int n;
            try
            {
                n = await process.StandardOutput.BaseStream.ReadAsync(ready, timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                throw new ContainerStartException($"slirp4netns did not configure the network within {StartTimeout.TotalSeconds} s");
            }
            if (n == 0)
            {
                await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
                throw new ContainerStartException($"slirp4netns failed (exit {process.ExitCode}): {LastLine(await network._log.ConfigureAwait(false))}");
            }
            foreach (var port in ports)
                await SlirpApi.AddHostForwardAsync(directory, ApiSocketName, port, timeout.Token).ConfigureAwait(false);
            return network;
        }
        catch
        {
            await network.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Stops slirp4netns (closing its exit pipe) and waits until it has exited.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.StandardInput.Close();
        }
        catch (IOException)
        {
        }
        using var timeout = new CancellationTokenSource(StopTimeout);
        try
        {
            await _process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            _process.Kill();
            await _process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }
        try
        {
            await _log.ConfigureAwait(false);
        }
        catch (IOException)
        {
        }
        _process.Dispose();
    }

    private static string LastLine(string log) =>
        log.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .LastOrDefault(l => !l.StartsWith("WARNING:", StringComparison.Ordinal)) ?? "no message";

    /// <summary>The slirp4netns binary in <paramref name="searchDirectories"/>.</summary>
    /// <exception cref="NotFoundException">Not installed.</exception>
    public static string Locate(IReadOnlyList<string> searchDirectories, string tool)
    {
        foreach (var dir in searchDirectories)
        {
            var candidate = Path.Combine(dir, tool);
            if (File.Exists(candidate)) return candidate;
        }
        var package = tool switch { "sh" => "dash", "unshare" => "util-linux", _ => tool };
        throw new NotFoundException(string.Create(CultureInfo.InvariantCulture,
            $"{tool} not found in {string.Join(":", searchDirectories)}: the default network needs it; install the Debian package {package}, or use --network none or --network host"));
    }
}
