using System.Text.Json;
using Strata.Execution.Tests.Fixtures;

namespace Strata.Execution.Tests.Rootless;

/// <summary>The config.json of a container run by rootless strata, as root of the user's namespace.</summary>
public sealed class RootlessSpecTests
{
    private static readonly ContainerSpec Sample = Specs.Run("/s/rootfs", "true") with { Id = "rl" };

    private static readonly RuntimeSpecOptions Rootless = RuntimeSpecOptions.Default with { Rootless = true };

    private static JsonElement Build(ContainerSpec spec, RuntimeSpecOptions options) =>
        JsonDocument.Parse(RuntimeSpecBuilder.Build(spec, options)).RootElement;

    private static JsonElement MountAt(JsonElement config, string destination) =>
        config.GetProperty("mounts").EnumerateArray().Single(m => m.GetProperty("destination").GetString() == destination);

    [Fact]
    public void Rootless_has_no_cgroup_path_nor_device_rules_and_root_keeps_both()
    {
        var rootless = Build(Sample, Rootless).GetProperty("linux");
        var root = Build(Sample, RuntimeSpecOptions.Default).GetProperty("linux");

        Assert.False(rootless.TryGetProperty("cgroupsPath", out _));
        Assert.False(rootless.TryGetProperty("resources", out _));
        Assert.Equal("/strata/rl", root.GetProperty("cgroupsPath").GetString());
        Assert.Equal(8, root.GetProperty("resources").GetProperty("devices").GetArrayLength());
    }

    [Fact]
    public void Rootless_with_the_host_network_binds_the_hosts_sys_read_only_and_mounts_sysfs_with_its_own()
    {
        var host = MountAt(Build(Sample with { Network = NetworkMode.Host }, Rootless), "/sys");
        var own = MountAt(Build(Sample with { Network = NetworkMode.None }, Rootless), "/sys");

        Assert.Equal("bind", host.GetProperty("type").GetString());
        Assert.Equal("/sys", host.GetProperty("source").GetString());
        Assert.Equal(["rbind", "ro", "nosuid", "noexec", "nodev"], host.GetProperty("options").EnumerateArray().Select(o => o.GetString()!).ToArray());
        Assert.Equal("sysfs", own.GetProperty("type").GetString());
    }

    [Fact]
    public void Devpts_names_group_5_unless_the_namespace_has_no_such_group()
    {
        var with = MountAt(Build(Sample, Rootless), "/dev/pts").GetProperty("options").EnumerateArray().Select(o => o.GetString()!).ToArray();
        var without = MountAt(Build(Sample, Rootless with { DevptsGroup = null }), "/dev/pts").GetProperty("options").EnumerateArray().Select(o => o.GetString()!).ToArray();

        Assert.Equal(["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"], with);
        Assert.Equal(["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620"], without);
    }
}
