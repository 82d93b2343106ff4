using System.Net;
using System.Net.Sockets;
using Strata.Build.IntegrationTests.Fixtures;
using Strata.Containers.Tests.Fixtures;

namespace Strata.Containers.Tests.Cli;

/// <summary>
/// <c>strata run</c> on the default network (slirp4netns): published ports answered from the host,
/// <c>port</c> and the PORTS column in docker's formats, the host gateway, <c>--network none</c>
/// without a route, and no slirp4netns left once a container is removed. Only loopback services
/// of the host are used. docker's engine in these tests runs with <c>--bridge=none</c>, so its
/// default network cannot be compared here: the formats are docker's documented ones.
/// </summary>
[Collection(ContainerGroup.Name)]
public sealed class NetworkTests(ContainerStore store)
{
    private const string HttpdScript = "mkdir -p /www && echo hello-from-httpd > /www/index.html && exec busybox httpd -f -p 80 -h /www";
    private readonly StrataCli _cli = store.Cli;

    /// <summary>slirp4netns processes whose command line names the container's id (its bundle holds the namespace).</summary>
    private static List<string> SlirpsOf(string id) =>
        [.. Directory.EnumerateDirectories("/proc").Select(d => ReadCmdline(Path.Combine(d, "cmdline")))
            .Where(c => c.Contains("slirp4netns", StringComparison.Ordinal) && c.Contains(id, StringComparison.Ordinal))];

    private static string ReadCmdline(string path)
    {
        try { return File.ReadAllText(path).Replace('\0', ' '); }
        catch (IOException) { return ""; }
        catch (UnauthorizedAccessException) { return ""; }
    }

    /// <summary>
    /// GET through the published port. slirp4netns accepts on the host before httpd listens in
    /// the container (and then closes), so connection failures are retried, within 2 minutes.
    /// </summary>
    private static async Task<string> GetAsync(int port)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        using var http = new HttpClient();
        while (true)
        {
            try
            {
                return await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/index.html"), cts.Token);
            }
            catch (HttpRequestException) when (!cts.IsCancellationRequested)
            {
                await Task.Delay(50, cts.Token);
            }
        }
    }

    [Fact]
    public async Task A_published_port_answers_from_the_host_and_port_and_ps_show_it_as_docker_does()
    {
        (await _cli.RunAsync("run", "--name", "net-src", "base:1", "true")).EnsureSuccess();
        (await _cli.RunAsync("commit", "-c", "EXPOSE 80", "-c", "EXPOSE 443", "net-src", "web:1")).EnsureSuccess();
        int port = LoopbackService.FreePort();
        var id = (await _cli.RunAsync("run", "-d", "--name", "net-web", "-p", $"127.0.0.1:{port}:80", "web:1", "sh", "-c", HttpdScript)).EnsureSuccess().Stdout.Trim();
        try
        {
            Assert.Equal("hello-from-httpd\n", await GetAsync(port));
            Assert.Equal($"80/tcp -> 127.0.0.1:{port}\n", (await _cli.RunAsync("port", "net-web")).EnsureSuccess().Stdout);
            Assert.Equal($"127.0.0.1:{port}\n", (await _cli.RunAsync("port", "net-web", "80/tcp")).EnsureSuccess().Stdout);
            var missing = await _cli.RunAsync("port", "net-web", "443");
            Assert.Equal(1, missing.ExitCode);
            Assert.Equal("Error: No public port '443/tcp' published for net-web\n", missing.Stderr);
            // The exposed but unpublished 443 comes first, the mapping after it, as docker's PORTS.
            var formatted = (await _cli.RunAsync("ps", "--format", "{{.Names}}={{.Ports}}")).EnsureSuccess().Stdout;
            Assert.Equal($"net-web=443/tcp, 127.0.0.1:{port}->80/tcp", formatted.Split('\n').Single(l => l.StartsWith("net-web=", StringComparison.Ordinal)));
            PsLines.AssertMatches($@"^{id[..12]} +web:1 +.+ Up .+ +443/tcp, 127\.0\.0\.1:{port}->80/tcp +net-web$", await PsLines.OfAsync(_cli, "net-web"));
            Assert.Single(SlirpsOf(id));
        }
        finally
        {
            (await _cli.RunAsync("rm", "-f", "net-web")).EnsureSuccess();
            (await _cli.RunAsync("rm", "net-src")).EnsureSuccess();
        }
        Assert.Empty(SlirpsOf(id));
    }

    /// <summary>Two consecutive ports free on 127.0.0.1 right now.</summary>
    private static int TwoFreePorts()
    {
        for (int attempt = 0; attempt < 100; attempt++)
        {
            int first = LoopbackService.FreePort();
            if (first >= 65535) continue;
            try
            {
                using var probe = new TcpListener(IPAddress.Loopback, first + 1);
                probe.Start();
                return first;
            }
            catch (SocketException)
            {
            }
        }
        throw new InvalidOperationException("no two consecutive free ports on 127.0.0.1");
    }

    [Fact]
    public async Task A_port_range_publishes_each_port_and_port_and_ps_show_them_as_docker_does()
    {
        int first = TwoFreePorts();
        const string two = "mkdir -p /www && echo hello-from-httpd > /www/index.html && busybox httpd -p 81 -h /www && exec busybox httpd -f -p 80 -h /www";
        var id = (await _cli.RunAsync("run", "-d", "--name", "net-range", "-p", $"127.0.0.1:{first}-{first + 1}:80-81", "base:1", "sh", "-c", two)).EnsureSuccess().Stdout.Trim();
        try
        {
            Assert.Equal("hello-from-httpd\n", await GetAsync(first));
            Assert.Equal("hello-from-httpd\n", await GetAsync(first + 1));
            Assert.Equal($"80/tcp -> 127.0.0.1:{first}\n81/tcp -> 127.0.0.1:{first + 1}\n", (await _cli.RunAsync("port", "net-range")).EnsureSuccess().Stdout);
            // docker 20.10's DisplayablePorts groups a range only where host and container ports are equal.
            var formatted = (await _cli.RunAsync("ps", "--format", "{{.Names}}={{.Ports}}")).EnsureSuccess().Stdout;
            Assert.Equal($"net-range=127.0.0.1:{first}->80/tcp, 127.0.0.1:{first + 1}->81/tcp", formatted.Split('\n').Single(l => l.StartsWith("net-range=", StringComparison.Ordinal)));
            Assert.Single(SlirpsOf(id));
        }
        finally
        {
            (await _cli.RunAsync("rm", "-f", "net-range")).EnsureSuccess();
        }
    }

    [Fact]
    public async Task Stop_ends_the_network_and_an_exited_container_has_no_ports()
    {
        int port = LoopbackService.FreePort();
        var id = (await _cli.RunAsync("run", "-d", "--name", "net-stop", "-p", $"127.0.0.1:{port}:80", "base:1", "sh", "-c", HttpdScript)).EnsureSuccess().Stdout.Trim();
        try
        {
            Assert.Equal("hello-from-httpd\n", await GetAsync(port));
            (await _cli.RunAsync("stop", "-t", "1", "net-stop")).EnsureSuccess();
            Assert.Empty(SlirpsOf(id));
            Assert.Equal("", (await _cli.RunAsync("port", "net-stop")).EnsureSuccess().Stdout);
            PsLines.AssertMatches(@"Exited \(\d+\) .* ago +net-stop$", await PsLines.OfAsync(_cli, "net-stop", all: true));
            // The host port is free again.
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
        }
        finally
        {
            await _cli.RunAsync("rm", "-f", "net-stop");
        }
    }

    [Fact]
    public async Task Host_gateway_reaches_a_loopback_server_of_the_host()
    {
        var www = Path.Combine(store.Root, "net-www");
        Directory.CreateDirectory(www);
        await File.WriteAllTextAsync(Path.Combine(www, "greeting.txt"), "hello from the host\n");
        await using var server = await LoopbackHttpServer.StartAsync(www);

        var run = await _cli.RunAsync("run", "--rm", "--add-host", "host.docker.internal:host-gateway", "base:1", "sh", "-c",
            $"busybox grep host.docker.internal /etc/hosts; busybox wget -q -O - http://host.docker.internal:{server.Port}/greeting.txt");

        run.EnsureSuccess();
        Assert.Equal("10.0.2.2\thost.docker.internal\nhello from the host\n", run.Stdout);
    }

    [Fact]
    public async Task The_default_network_routes_out_and_network_none_has_no_route()
    {
        var nat = (await _cli.RunAsync("run", "--rm", "base:1", "busybox", "ip", "route")).EnsureSuccess();
        Assert.Equal("default via 10.0.2.2 dev tap0 \n10.0.2.0/24 dev tap0 scope link  src 10.0.2.100 \n", nat.Stdout);
        var bridge = (await _cli.RunAsync("run", "--rm", "--network", "bridge", "base:1", "busybox", "ip", "route")).EnsureSuccess();
        Assert.Equal(nat.Stdout, bridge.Stdout);

        var none = await _cli.RunAsync("run", "--rm", "--network", "none", "base:1", "busybox", "wget", "-q", "-O", "-", "http://10.0.2.2/");
        Assert.Equal(1, none.ExitCode);
        Assert.Contains("wget: can't connect to remote host (10.0.2.2): Network is unreachable", none.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_network_values_are_one_error_line()
    {
        foreach (var (args, message) in new (string[], string)[]
        {
            (["--network", "overlay"], "Error: network mode \"overlay\" not supported: use default (or bridge), none or host"),
            (["-p", "80/sctp"], "Error: -p \"80/sctp\": invalid protocol \"sctp\": want tcp or udp"),
            (["--add-host", "db"], "Error: --add-host \"db\": want HOST:IP"),
        })
        {
            var result = await _cli.RunAsync(["run", "--rm", .. args, "base:1", "true"]);
            StrataExit.AssertFailed(result.ExitCode, result.ToString());
            Assert.Equal(message + "\n", result.Stderr);
        }
    }

    [Fact]
    public async Task Ports_published_with_the_host_network_are_discarded_with_dockers_warning()
    {
        var result = (await _cli.RunAsync("run", "--rm", "--network", "host", "-p", "8080:80", "base:1", "true")).EnsureSuccess();
        Assert.Equal("WARNING: Published ports are discarded when using host network mode\n", result.Stderr);
    }
}
