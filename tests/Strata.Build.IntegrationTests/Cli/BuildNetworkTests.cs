using Strata.Build.IntegrationTests.Fixtures;
using Strata.Build.IntegrationTests.Mounts;

namespace Strata.Build.IntegrationTests.Cli;

/// <summary>
/// RUN on the default network, as in BuildKit: a namespace of its own with outbound access
/// (slirp4netns). Only a loopback HTTP server of the host is used, reached through
/// <c>--add-host NAME:host-gateway</c>; <c>--network none</c> and <c>RUN --network=none</c> keep
/// RUN without a route, and no slirp4netns outlives the build.
/// </summary>
public sealed class BuildNetworkTests : IClassFixture<BaseStore>
{
    private readonly BaseStore _base;

    public BuildNetworkTests(BaseStore store) => _base = store;

    private static List<string> SlirpsUnder(string root) =>
        [.. Directory.EnumerateDirectories("/proc").Select(d => ReadCmdline(Path.Combine(d, "cmdline")))
            .Where(c => c.Contains("slirp4netns", StringComparison.Ordinal) && c.Contains(root, StringComparison.Ordinal))];

    private static string ReadCmdline(string path)
    {
        try { return File.ReadAllText(path).Replace('\0', ' '); }
        catch (IOException) { return ""; }
        catch (UnauthorizedAccessException) { return ""; }
    }

    private async Task<LoopbackHttpServer> ServeGreetingAsync(string name)
    {
        var www = Path.Combine(_base.Root, name + "-www");
        Directory.CreateDirectory(www);
        await File.WriteAllTextAsync(Path.Combine(www, "greeting.txt"), "hello from the host\n");
        return await LoopbackHttpServer.StartAsync(www);
    }

    [Fact]
    public async Task A_RUN_fetches_from_a_host_loopback_server_through_host_gateway()
    {
        var (strata, build) = await MountBuild.NewAsync(_base, "net-fetch");
        await using var server = await ServeGreetingAsync("net-fetch");
        var dockerfile = $"FROM base:1\nRUN /bin/busybox wget -q -O /fetched http://hostsvc:{server.Port}/greeting.txt && /bin/busybox grep hostsvc /etc/hosts > /hosts-line\n";

        (await build.BuildAsync(dockerfile, "fetch:1", ["--add-host", "hostsvc:host-gateway"])).EnsureSuccess();

        var rootfs = await build.UnpackAsync("fetch:1");
        Assert.Equal("hello from the host\n", await File.ReadAllTextAsync(Path.Combine(rootfs, "fetched")));
        Assert.Equal("10.0.2.2\thostsvc\n", await File.ReadAllTextAsync(Path.Combine(rootfs, "hosts-line")));
        Assert.Equal(["\"GET /greeting.txt HTTP/1.1\" 200 -"], server.Requests());
        Assert.Empty(SlirpsUnder(strata.StoreRoot));
    }

    [Fact]
    public async Task RUN_network_none_and_build_network_none_have_no_route_out()
    {
        var (_, build) = await MountBuild.NewAsync(_base, "net-none");
        await using var server = await ServeGreetingAsync("net-none");
        var fetch = $"/bin/busybox wget -q -O /fetched http://hostsvc:{server.Port}/greeting.txt";

        var step = await build.BuildAsync($"FROM base:1\nRUN --network=none {fetch}\n", "none:1", ["--add-host", "hostsvc:host-gateway"]);
        var whole = await build.BuildAsync($"FROM base:1\nRUN {fetch}\n", "none:2", ["--network", "none", "--add-host", "hostsvc:host-gateway"]);

        foreach (var result in new[] { step, whole })
        {
            Assert.Equal(1, result.ExitCode);
            Assert.Contains("wget: can't connect to remote host (10.0.2.2): Network is unreachable", result.Stderr, StringComparison.Ordinal);
        }
        Assert.Empty(server.Requests());
    }

    [Fact]
    public async Task The_default_RUN_network_routes_through_the_slirp4netns_gateway()
    {
        var (_, build) = await MountBuild.NewAsync(_base, "net-route");

        (await build.BuildAsync("FROM base:1\nRUN /bin/busybox ip route > /route\n", "route:1")).EnsureSuccess();
        (await build.BuildAsync("FROM base:1\nRUN /bin/busybox ip route > /route\n", "route:2", ["--network", "bridge", "--no-cache"])).EnsureSuccess();

        var expected = "default via 10.0.2.2 dev tap0 \n10.0.2.0/24 dev tap0 scope link  src 10.0.2.100 \n";
        Assert.Equal(expected, await File.ReadAllTextAsync(Path.Combine(await build.UnpackAsync("route:1"), "route")));
        Assert.Equal(expected, await File.ReadAllTextAsync(Path.Combine(await build.UnpackAsync("route:2"), "route")));
    }
}
