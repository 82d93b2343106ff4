using Strata.Integration.Tests.Fixtures;

namespace Strata.Integration.Tests.Rootless;

/// <summary>
/// Issue 15, the rootless default network: slirp4netns needs /dev/net/tun, which udev makes
/// 0666 but a machine without udev may leave 0600. There a RUN degrades to no network, and a
/// RUN that names the host through <c>--add-host NAME:host-gateway</c> is refused in one line
/// naming the device, instead of "Network is unreachable" from inside the step. The test hides
/// the usable device behind a root-only file in a mount namespace of the test's own.
/// In the dockerd collection with <see cref="RootlessTests"/>, whose scan for the user's new files
/// must not see this class's processes (a JIT strata leaves /tmp/clr-debug-pipe-* while it runs).
/// </summary>
[Collection(DockerPeer.Name)]
public sealed class RootlessNetworkTests : IClassFixture<RootlessHost>, IDisposable
{
    private readonly RootlessHost _host;
    private readonly TempDir _scratch = new();

    public RootlessNetworkTests(RootlessHost host) => _host = host;

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public async Task Without_a_tun_device_the_user_may_open_a_RUN_on_host_gateway_is_refused_in_one_line_and_others_run_without_network()
    {
        var user = await RootlessStrata.CreateAsync(_host, RootlessHost.RangedUser, _scratch);
        string rootfs = BaseRootfs.Create(Path.Combine(user.Home, "rootfs"));
        await user.ChownAsync(rootfs);
        string rootOnly = _scratch.PathOf("tun-root-only");
        await File.WriteAllTextAsync(rootOnly, "");
        File.SetUnixFileMode(rootOnly, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var strata = user.WithLauncher("/usr/bin/unshare", "--mount", "--propagation", "private", "/bin/sh", "-c",
            $"mount --bind {rootOnly} /dev/net/tun && exec \"$@\"", "sh");
        await strata.OkAsync("import", rootfs, "busybox:demo");
        string context = Path.Combine(user.Home, "context");
        Directory.CreateDirectory(context);
        await File.WriteAllTextAsync(Path.Combine(context, "Dockerfile"), "FROM busybox:demo\nRUN /bin/busybox wget -q -O /fetched http://hostsvc:9/x\n");
        await File.WriteAllTextAsync(Path.Combine(context, "Dockerfile.offline"), "FROM busybox:demo\nRUN cat /proc/net/dev | /bin/busybox wc -l > /interfaces\n");
        await user.ChownAsync(context);

        var refused = await strata.RunAsync("build", "-q", "-t", "fetch:1", "--add-host", "hostsvc:host-gateway", context);
        var offline = await strata.RunAsync("build", "-q", "-t", "offline:1", "-f", Path.Combine(context, "Dockerfile.offline"), context);

        Assert.Equal(1, refused.ExitCode);
        Assert.Equal("", refused.Stdout);
        string line = Assert.Single(refused.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("Error: Dockerfile:2: ", line, StringComparison.Ordinal);
        Assert.Contains(": cannot reach host-gateway: the default network needs /dev/net/tun, which this user may not open (rootless); make it mode 0666 or run as root", line, StringComparison.Ordinal);
        Assert.True(offline.ExitCode == 0, offline.ToString());
        // Two header lines and lo: the RUN had a network namespace of its own with loopback only.
        Assert.Equal("3\n", await strata.OkAsync("run", "--rm", "--network", "none", "offline:1", "cat", "/interfaces"));
    }
}
