using System.Globalization;
using Strata.Integration.Tests.Fixtures;

namespace Strata.Integration.Tests.Rootless;

/// <summary>
/// Issue 15: <c>exec</c> into a detached rootless container. Every rootless command enters a
/// user namespace of its own; the container lives in the one of the <c>run -d</c> that started
/// it, kept by its shim, and exec runs again there (nsenter into the shim's user and mount
/// namespaces, as podman joins its pause process).
/// In the dockerd collection with <see cref="RootlessTests"/>, whose scan for the user's new files
/// must not see this class's processes (a JIT strata leaves /tmp/clr-debug-pipe-* while it runs).
/// </summary>
[Collection(DockerPeer.Name)]
public sealed class RootlessExecTests : IClassFixture<RootlessHost>, IDisposable
{
    private readonly RootlessHost _host;
    private readonly TempDir _scratch = new();

    public RootlessExecTests(RootlessHost host) => _host = host;

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public async Task Exec_into_a_detached_rootless_container_sees_its_user_namespace_and_root_then_stop_and_rm_end_it()
    {
        var strata = await RootlessStrata.CreateAsync(_host, RootlessHost.RangedUser, _scratch);
        string rootfs = BaseRootfs.Create(Path.Combine(strata.Home, "rootfs"));
        await strata.ChownAsync(rootfs);
        await strata.OkAsync("import", rootfs, "busybox:demo");
        string subuid = File.ReadAllLines("/etc/subuid").Select(l => l.Split(':')).First(f => f[0] == strata.User)[1];

        string id = (await strata.OkAsync("run", "-d", "--name", "sleeper", "busybox:demo", "sleep", "600")).Trim();
        Assert.Matches("^[0-9a-f]{64}$", id);
        try
        {
            var map = await strata.RunAsync("--debug", "exec", "sleeper", "cat", "/proc/self/uid_map");
            Assert.True(map.ExitCode == 0, map.ToString());
            Assert.Equal(MapLine(0, strata.Uid, 1) + MapLine(1, long.Parse(subuid, CultureInfo.InvariantCulture), 65536), map.Stdout);
            Assert.Matches("^debug: rootless: entering a user namespace with uids [^\n]+\ndebug: rootless: joining the user and mount namespaces of the container's monitor \\(pid [0-9]+\\)\n$", map.Stderr);
            Assert.Equal("uid=0(root) gid=0(root)\n", await strata.OkAsync("exec", "sleeper", "id"));
            // -u is resolved in the container's root filesystem, mounted only in the shim's mount namespace.
            Assert.Equal("uid=0(root) gid=0(root)\n", await strata.OkAsync("exec", "-u", "root", "sleeper", "id"));
            Assert.Equal("uid=1000 gid=1000\n", await strata.OkAsync("exec", "-u", "1000:1000", "sleeper", "id"));
            var failing = await strata.RunAsync("exec", "sleeper", "sh", "-c", "echo out; echo err >&2; exit 3");
            Assert.Equal((3, "out\n", "err\n"), (failing.ExitCode, failing.Stdout, failing.Stderr));
        }
        finally
        {
            await strata.RunAsync("stop", "-t", "1", "sleeper");
        }
        // sleep as pid 1 ignores SIGTERM: stop kills it after its timeout.
        Assert.Equal("137\n", await strata.OkAsync("wait", "sleeper"));
        var notRunning = await strata.RunAsync("exec", "sleeper", "id");
        Assert.Equal((1, ""), (notRunning.ExitCode, notRunning.Stdout));
        Assert.Equal($"Error: Container {id} is not running\n", notRunning.Stderr);
        Assert.Equal("sleeper\n", await strata.OkAsync("rm", "sleeper"));
        Assert.Equal("", await strata.OkAsync("ps", "-aq"));
    }

    /// <summary>A line of /proc/PID/uid_map as the kernel prints it ("%10u %10u %10u").</summary>
    private static string MapLine(long inside, long outside, long count) =>
        string.Create(CultureInfo.InvariantCulture, $"{inside,10} {outside,10} {count,10}\n");
}
