using System.Net;
using System.Net.Sockets;
using System.Text;
using Strata.Execution.Tests.Fixtures;

namespace Strata.Execution.Tests;

/// <summary>
/// <see cref="NetworkMode.Nat"/> through real runc and slirp4netns, as root: the container's own
/// interface and route, DNS as docker writes it, the host gateway (and its absence), published
/// ports, and no slirp4netns left once a run ends, however it ends.
/// </summary>
public sealed class NatNetworkTests : IDisposable
{
    private readonly TempDir _temp = new();
    private readonly string _rootfs;
    private readonly string _hostResolvConf;
    private readonly RuncExecutor _executor;

    public NatNetworkTests()
    {
        _rootfs = ExecutionRootfs.Create(_temp.PathOf("rootfs"));
        _hostResolvConf = _temp.PathOf("host-resolv.conf");
        File.WriteAllText(_hostResolvConf, "# host\nnameserver 127.0.0.53\nnameserver ::1\nsearch example.test\noptions edns0 trust-ad\n");
        _executor = RuncExecutor.Create(new RuncOptions
        {
            StateDirectory = _temp.PathOf("state"),
            BundleDirectory = _temp.PathOf("bundles"),
            HostResolvConfPath = _hostResolvConf,
        });
    }

    public void Dispose() => _temp.Dispose();

    private static ContainerSpec Nat(string rootfs, string script) => Specs.Shell(rootfs, script) with { Network = NetworkMode.Nat };

    private async Task<(int Exit, string Out, string Err)> RunAsync(ContainerSpec spec, CancellationToken ct = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(120));
        using var stdout = new RecordingStream();
        using var stderr = new RecordingStream();
        var result = await _executor.RunAsync(spec, null, stdout, stderr, timeout.Token);
        return (result.ExitCode, stdout.Text, stderr.Text);
    }

    /// <summary>slirp4netns processes serving a netns under this test's directory.</summary>
    private List<string> OurSlirps() =>
        [.. Directory.EnumerateDirectories("/proc").Select(d => Path.Combine(d, "cmdline")).Select(ReadCmdline)
            .Where(c => c.Contains("slirp4netns", StringComparison.Ordinal) && c.Contains(_temp.Path, StringComparison.Ordinal))];

    private static string ReadCmdline(string path)
    {
        try { return File.ReadAllText(path).Replace('\0', ' '); }
        catch (IOException) { return ""; }
        catch (UnauthorizedAccessException) { return ""; }
    }

    [Fact]
    public async Task A_nat_container_has_its_own_interface_behind_the_gateway_and_nothing_is_left_after()
    {
        var (exit, output, error) = await RunAsync(Nat(_rootfs, "busybox ip -4 addr show tap0 | busybox grep inet; busybox ip route"));

        Assert.Equal("", error);
        Assert.Equal(0, exit);
        Assert.Equal("    inet 10.0.2.100/24 brd 10.0.2.255 scope global tap0\ndefault via 10.0.2.2 dev tap0 \n10.0.2.0/24 dev tap0 scope link  src 10.0.2.100 \n", output);
        Assert.Empty(OurSlirps());
        Assert.Empty(Directory.EnumerateFileSystemEntries(_temp.PathOf("bundles")));
    }

    [Fact]
    public async Task Resolv_conf_drops_loopback_and_IPv6_nameservers_for_slirp4netns_forwarder()
    {
        var (_, output, _) = await RunAsync(Nat(_rootfs, "cat /etc/resolv.conf"));
        Assert.Equal("# host\nsearch example.test\noptions edns0 trust-ad\nnameserver 10.0.2.3\n", output);

        File.WriteAllText(_hostResolvConf, "nameserver 127.0.0.53\nnameserver 192.0.2.53\n");
        (_, output, _) = await RunAsync(Nat(_rootfs, "cat /etc/resolv.conf"));
        Assert.Equal("nameserver 192.0.2.53\n", output);

        // Without the NAT network the host's file is passed as it is, as before.
        (_, output, _) = await RunAsync(Specs.Shell(_rootfs, "cat /etc/resolv.conf"));
        Assert.Equal("nameserver 127.0.0.53\nnameserver 192.0.2.53\n", output);
    }

    /// <summary>A one-request HTTP server on the host's 127.0.0.1 (what docker users reach through host.docker.internal).</summary>
    private static (int Port, Task Served) ServeOnce(TcpListener listener, string body)
    {
        listener.Start();
        var served = Task.Run(async () =>
        {
            using var client = await listener.AcceptTcpClientAsync();
            var stream = client.GetStream();
            var request = new StringBuilder();
            var buffer = new byte[1024];
            while (!request.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                int n = await stream.ReadAsync(buffer);
                if (n == 0) return;
                request.Append(Encoding.ASCII.GetString(buffer, 0, n));
            }
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.0 200 OK\r\nContent-Length: {body.Length}\r\n\r\n{body}"));
        });
        return (((IPEndPoint)listener.LocalEndpoint).Port, served);
    }

    [Fact]
    public async Task Host_gateway_reaches_a_loopback_service_of_the_host_only_when_asked_for()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        var (port, served) = ServeOnce(listener, "hello from the host\n");

        var gateway = Nat(_rootfs, $"cat /etc/hosts; busybox wget -q -O - http://hostsvc:{port}/") with { ExtraHosts = [new HostEntry("hostsvc", HostEntry.HostGateway)] };
        var (exit, output, _) = await RunAsync(gateway);

        Assert.Equal(0, exit);
        Assert.Equal("127.0.0.1\tlocalhost strata-test\n::1\tlocalhost ip6-localhost ip6-loopback\n10.0.2.2\thostsvc\nhello from the host\n", output);
        await served;

        // Without host-gateway, 10.0.2.2 does not lead to the host's loopback (--disable-host-loopback).
        var (refused, _, error) = await RunAsync(Nat(_rootfs, $"busybox wget -q -O - http://10.0.2.2:{port}/"));
        Assert.NotEqual(0, refused);
        Assert.Contains("can't connect to remote host (10.0.2.2)", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Host_gateway_is_the_hosts_loopback_with_the_host_network()
    {
        var spec = Specs.Shell(_rootfs, "busybox grep gw /etc/hosts") with { Network = NetworkMode.Host, ExtraHosts = [new HostEntry("gw", HostEntry.HostGateway)] };
        var (_, output, _) = await RunAsync(spec);
        Assert.Equal("127.0.0.1\tgw\n", output);
    }

    [Fact]
    public async Task A_published_port_forwards_a_host_connection_into_the_container()
    {
        int hostPort;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            hostPort = ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        var spec = Nat(_rootfs, "echo published | busybox nc -l -p 80") with { Ports = [new PublishedPort("127.0.0.1", hostPort, 80, "tcp")] };
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var run = RunAsync(spec, cts.Token);

        // slirp4netns accepts on the host before the container listens (then closes): retry until
        // the container's answer comes, bounded by the run itself and the cancellation above.
        string received = "";
        while (received.Length == 0 && !run.IsCompleted)
        {
            cts.Token.ThrowIfCancellationRequested();
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, hostPort, cts.Token);
                using var reader = new StreamReader(client.GetStream());
                received = await reader.ReadLineAsync(cts.Token) ?? "";
            }
            catch (SocketException)
            {
            }
            catch (IOException)
            {
            }
            if (received.Length == 0) await Task.WhenAny(run, Task.Delay(50, cts.Token));
        }

        Assert.Equal("published", received);
        var (exit, _, _) = await run;
        Assert.Equal(0, exit);
        Assert.Empty(OurSlirps());
        // The forward went with slirp4netns: the host port is free again.
        using var again = new TcpListener(IPAddress.Loopback, hostPort);
        again.Start();
    }

    [Fact]
    public async Task A_taken_host_port_fails_the_start_naming_the_mapping()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        int port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var spec = Nat(_rootfs, "true") with { Ports = [new PublishedPort("127.0.0.1", port, 80, "tcp")] };

        var e = await Assert.ThrowsAsync<ContainerStartException>(() => RunAsync(spec));

        Assert.StartsWith($"cannot publish 127.0.0.1:{port}->80/tcp: slirp4netns: ", e.Message, StringComparison.Ordinal);
        Assert.Empty(OurSlirps());
        Assert.Empty(Directory.EnumerateFileSystemEntries(_temp.PathOf("bundles")));
    }

    [Fact]
    public async Task Cancelling_a_nat_run_leaves_no_slirp4netns()
    {
        using var cts = new CancellationTokenSource();
        var spec = Nat(_rootfs, "echo up; exec sleep 1000");
        using var stdout = new MarkerStream("up\n");
        var run = _executor.RunAsync(spec, null, stdout, Stream.Null, cts.Token);
        await stdout.Seen.WaitAsync(TimeSpan.FromSeconds(120));
        Assert.Single(OurSlirps());

        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);

        Assert.Empty(OurSlirps());
        Assert.Empty(Directory.EnumerateFileSystemEntries(_temp.PathOf("bundles")));
    }

    [Fact]
    public async Task Without_network_there_is_no_route_out()
    {
        var (exit, _, error) = await RunAsync(Specs.Shell(_rootfs, "busybox wget -O - http://10.0.2.2/"));
        Assert.NotEqual(0, exit);
        Assert.Contains("Network is unreachable", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_sandboxed_slirp4netns_leaves_the_hosts_mounts_below_a_shared_mount_alone()
    {
        // dockerd makes its data root a shared mount; slirp4netns's sandbox makes only "/" private
        // before it detaches the old root, so without a private mount namespace of its own the
        // container root filesystems mounted below such a mount vanished on the host.
        string shared = _temp.PathOf("shared"), child = Path.Combine(shared, "child");
        Directory.CreateDirectory(shared);
        await MountAsync("--bind", shared, shared);
        try
        {
            await MountAsync("--make-shared", shared);
            Directory.CreateDirectory(child);
            await MountAsync("-t", "tmpfs", "tmpfs", child);
            Assert.Contains(child, MountPoints());

            var spec = Nat(_rootfs, "echo up; while ! busybox test -e /release; do busybox sleep 1; done");
            using var stdout = new MarkerStream("up\n");
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
            var run = _executor.RunAsync(spec, null, stdout, Stream.Null, timeout.Token);
            try
            {
                await stdout.Seen.WaitAsync(timeout.Token);
                int slirp = Assert.Single(OurSlirpPids());
                // Its sandbox is in place once its own root is the tmpfs it pivoted into.
                while (!SandboxRootIsTmpfs(slirp)) await Task.Delay(50, timeout.Token);
                Assert.Contains(child, MountPoints());
            }
            finally
            {
                // Released on every path: a failed assertion must not leave the container running.
                await File.WriteAllTextAsync(Path.Combine(_rootfs, "release"), "", CancellationToken.None);
            }
            Assert.Equal(0, (await run).ExitCode);
            Assert.Contains(child, MountPoints());
        }
        finally
        {
            await MountAsync("-R", shared, program: "umount");
        }
    }

    private List<int> OurSlirpPids() =>
        [.. Directory.EnumerateDirectories("/proc").Select(Path.GetFileName).Where(n => n!.All(char.IsAsciiDigit))
            .Select(n => int.Parse(n!, System.Globalization.CultureInfo.InvariantCulture))
            .Where(pid => ReadCmdline($"/proc/{pid}/cmdline") is var c && Path.GetFileName(c.Split(' ')[0]) == "slirp4netns" && c.Contains(_temp.Path, StringComparison.Ordinal))];

    private static bool SandboxRootIsTmpfs(int pid)
    {
        try
        {
            return File.ReadLines($"/proc/{pid}/mountinfo").Select(l => l.Split(" - ")).Any(parts => parts[0].Split(' ')[4] == "/" && parts[1].StartsWith("tmpfs ", StringComparison.Ordinal));
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static List<string> MountPoints() => [.. File.ReadLines("/proc/self/mountinfo").Select(l => l.Split(' ')[4])];

    private static async Task MountAsync(string first, string second, string? third = null, string? fourth = null, string program = "mount")
    {
        var psi = new System.Diagnostics.ProcessStartInfo(program) { RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { first, second, third, fourth }.OfType<string>()) psi.ArgumentList.Add(a);
        using var process = System.Diagnostics.Process.Start(psi)!;
        string error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', psi.ArgumentList)}: {error}");
    }
}
