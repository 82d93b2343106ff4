using System.Text.Json;
using Strata.Core;
using Strata.Execution.Tests.Fixtures;

namespace Strata.Execution.Tests;

public sealed class RuntimeSpecBuilderTests
{
    private static JsonElement Build(ContainerSpec spec, RuntimeSpecOptions? options = null) =>
        JsonDocument.Parse(RuntimeSpecBuilder.Build(spec, options ?? RuntimeSpecOptions.Default)).RootElement;

    private static List<string> Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString()!).ToList();

    private static readonly ContainerSpec Sample = Specs.Run("/var/lib/strata/rootfs", "echo", "hello") with { Id = "sample" };

    [Fact]
    public void Config_has_the_runtime_spec_shape()
    {
        var c = Build(Sample);
        Assert.Equal("1.0.2", c.GetProperty("ociVersion").GetString());
        Assert.Equal(["echo", "hello"], Strings(c.GetProperty("process").GetProperty("args")));
        Assert.Equal("/var/lib/strata/rootfs", c.GetProperty("root").GetProperty("path").GetString());
        Assert.False(c.GetProperty("root").GetProperty("readonly").GetBoolean());
        Assert.False(c.GetProperty("process").GetProperty("terminal").GetBoolean());
        Assert.Equal("/", c.GetProperty("process").GetProperty("cwd").GetString());
        Assert.Equal([Specs.PathEnv], Strings(c.GetProperty("process").GetProperty("env")));
        Assert.Equal("strata-test", c.GetProperty("hostname").GetString());
    }

    [Fact]
    public void Capabilities_are_Dockers_default_set_exactly_and_nothing_inheritable_or_ambient()
    {
        var caps = Build(Sample).GetProperty("process").GetProperty("capabilities");
        string[] docker =
        [
            "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID",
            "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE",
        ];
        foreach (var set in new[] { "bounding", "effective", "permitted" })
            Assert.Equal(docker, Strings(caps.GetProperty(set)));
        Assert.False(caps.TryGetProperty("inheritable", out _));
        Assert.False(caps.TryGetProperty("ambient", out _));
    }

    [Fact]
    public void Extra_capabilities_are_added_to_every_set_once()
    {
        var spec = Sample with { ExtraCapabilities = ["SYS_ADMIN", "cap_net_admin", "CAP_CHOWN"] };
        var bounding = Strings(Build(spec).GetProperty("process").GetProperty("capabilities").GetProperty("bounding"));
        Assert.Equal(16, bounding.Count);
        Assert.Equal(["CAP_SYS_ADMIN", "CAP_NET_ADMIN"], bounding[^2..]);
    }

    [Fact]
    public void Unknown_capability_is_refused()
    {
        var ex = Assert.Throws<InvalidArgumentException>(() => RuntimeSpecBuilder.Build(Sample with { ExtraCapabilities = ["CAP_FLY"] }));
        Assert.Contains("CAP_FLY", ex.Message);
    }

    [Theory]
    [InlineData(NetworkMode.None, new[] { "pid", "ipc", "uts", "mount", "network", "cgroup" })]
    [InlineData(NetworkMode.Host, new[] { "pid", "ipc", "uts", "mount", "cgroup" })]
    public void Namespaces_are_new_and_the_host_network_mode_omits_the_network_one(NetworkMode mode, string[] expected)
    {
        var namespaces = Build(Sample with { Network = mode }).GetProperty("linux").GetProperty("namespaces");
        Assert.Equal(expected, namespaces.EnumerateArray().Select(n => n.GetProperty("type").GetString()));
        Assert.All(namespaces.EnumerateArray(), n => Assert.False(n.TryGetProperty("path", out _)));
    }

    [Fact]
    public void The_nat_network_joins_the_namespace_pinned_for_slirp4netns()
    {
        var options = RuntimeSpecOptions.Default with { NetworkNamespacePath = "/var/lib/strata/runtime/bundles/c1/netns" };
        var namespaces = JsonDocument.Parse(RuntimeSpecBuilder.Build(Sample with { Network = NetworkMode.Nat }, options)).RootElement.GetProperty("linux").GetProperty("namespaces");

        Assert.Equal(["pid", "ipc", "uts", "mount", "network", "cgroup"], namespaces.EnumerateArray().Select(n => n.GetProperty("type").GetString()));
        var network = namespaces.EnumerateArray().Single(n => n.GetProperty("type").GetString() == "network");
        Assert.Equal("/var/lib/strata/runtime/bundles/c1/netns", network.GetProperty("path").GetString());
    }

    [Fact]
    public void Published_ports_need_the_nat_network()
    {
        var spec = Sample with { Network = NetworkMode.None, Ports = [new PublishedPort("0.0.0.0", 8080, 80, "tcp")] };
        var ex = Assert.Throws<InvalidArgumentException>(() => RuntimeSpecBuilder.Build(spec));
        Assert.Contains("port 0.0.0.0:8080->80/tcp is published, which needs the default network, not none", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Default_mounts_are_Dockers_and_etc_files_are_read_only_binds_from_outside_the_rootfs()
    {
        var options = RuntimeSpecOptions.Default with { EtcFilesDirectory = "/var/lib/strata/containers/sample" };
        var mounts = Build(Sample, options).GetProperty("mounts").EnumerateArray()
            .ToDictionary(m => m.GetProperty("destination").GetString()!, m => (Type: m.GetProperty("type").GetString(), Source: m.GetProperty("source").GetString(), Options: Strings(m.GetProperty("options"))));
        Assert.Equal(["/proc", "/dev", "/dev/pts", "/dev/shm", "/dev/mqueue", "/sys", "/sys/fs/cgroup", "/etc/hosts", "/etc/resolv.conf", "/etc/hostname"], mounts.Keys);
        Assert.Equal("proc", mounts["/proc"].Type);
        Assert.Equal(["nosuid", "strictatime", "mode=755", "size=65536k"], mounts["/dev"].Options);
        Assert.Equal(["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"], mounts["/dev/pts"].Options);
        Assert.Contains("size=65536k", mounts["/dev/shm"].Options);
        Assert.Equal("mqueue", mounts["/dev/mqueue"].Type);
        Assert.Equal(("sysfs", "sysfs"), (mounts["/sys"].Type, mounts["/sys"].Source));
        Assert.Equal(["ro", "nosuid", "noexec", "nodev"], mounts["/sys"].Options);
        foreach (var (dest, file) in new[] { ("/etc/hosts", "hosts"), ("/etc/resolv.conf", "resolv.conf"), ("/etc/hostname", "hostname") })
        {
            Assert.Equal("bind", mounts[dest].Type);
            Assert.Equal("/var/lib/strata/containers/sample/" + file, mounts[dest].Source);
            Assert.Contains("ro", mounts[dest].Options);
        }
    }

    [Fact]
    public void A_build_step_gets_hosts_and_resolv_conf_but_no_etc_hostname_as_in_BuildKit()
    {
        var mounts = Build(Sample with { MountsEtcHostname = false }, RuntimeSpecOptions.Default).GetProperty("mounts").EnumerateArray()
            .Select(m => m.GetProperty("destination").GetString()).ToList();
        Assert.Equal(["/proc", "/dev", "/dev/pts", "/dev/shm", "/dev/mqueue", "/sys", "/sys/fs/cgroup", "/etc/hosts", "/etc/resolv.conf"], mounts);
    }

    [Fact]
    public void Caller_mounts_come_after_the_defaults_in_order()
    {
        var spec = Sample with { Mounts = [new("/cache", "bind", "/host/cache", ["rbind", "rw"]), new("/tmp-x", "tmpfs", "tmpfs", ["size=1m"])] };
        var destinations = Build(spec).GetProperty("mounts").EnumerateArray().Select(m => m.GetProperty("destination").GetString()).ToList();
        Assert.Equal(["/cache", "/tmp-x"], destinations[^2..]);
    }

    [Fact]
    public void Masked_and_read_only_paths_are_Dockers()
    {
        var linux = Build(Sample).GetProperty("linux");
        Assert.Equal(
            ["/proc/asound", "/proc/acpi", "/proc/interrupts", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list",
             "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/sys/firmware", "/sys/devices/virtual/powercap"],
            Strings(linux.GetProperty("maskedPaths")));
        Assert.Equal(["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"], Strings(linux.GetProperty("readonlyPaths")));
    }

    [Fact]
    public void New_privileges_stay_allowed_open_files_are_raised_and_the_cgroup_is_strata_s()
    {
        var c = Build(Sample, RuntimeSpecOptions.Default with { OpenFilesLimit = 4096 });
        Assert.False(c.GetProperty("process").GetProperty("noNewPrivileges").GetBoolean());
        var rlimit = Assert.Single(c.GetProperty("process").GetProperty("rlimits").EnumerateArray());
        Assert.Equal("RLIMIT_NOFILE", rlimit.GetProperty("type").GetString());
        Assert.Equal(4096UL, rlimit.GetProperty("hard").GetUInt64());
        Assert.Equal(4096UL, rlimit.GetProperty("soft").GetUInt64());
        Assert.Equal("/strata/sample", c.GetProperty("linux").GetProperty("cgroupsPath").GetString());
        Assert.Equal(1048576UL, Build(Sample).GetProperty("process").GetProperty("rlimits")[0].GetProperty("hard").GetUInt64());
    }

    [Fact]
    public void User_with_groups_is_numeric()
    {
        var spec = Sample with { Process = Sample.Process with { User = new ProcessUser(1000, 1001, [20, 30]) } };
        var user = Build(spec).GetProperty("process").GetProperty("user");
        Assert.Equal(1000u, user.GetProperty("uid").GetUInt32());
        Assert.Equal(1001u, user.GetProperty("gid").GetUInt32());
        Assert.Equal([20u, 30u], user.GetProperty("additionalGids").EnumerateArray().Select(g => g.GetUInt32()));
    }

    [Fact]
    public void Read_only_rootfs_is_passed_on()
    {
        Assert.True(Build(Sample with { ReadonlyRootfs = true }).GetProperty("root").GetProperty("readonly").GetBoolean());
    }

    [Theory]
    [InlineData("/proc/self/fd/3")]
    [InlineData("/proc/thread-self/fd/3")]
    [InlineData("/proc/1/cwd")]
    [InlineData("/dev/fd/7")]
    [InlineData("relative/dir")]
    [InlineData("/a/../../etc")]
    [InlineData("/a//b")]
    [InlineData("/a/./b")]
    [InlineData("/a/")]
    [InlineData("")]
    public void Working_directory_that_could_reach_the_host_or_is_not_clean_is_refused(string cwd)
    {
        var spec = Sample with { Process = Sample.Process with { Cwd = cwd } };
        var ex = Assert.Throws<InvalidArgumentException>(() => RuntimeSpecBuilder.Build(spec));
        Assert.Contains("working directory", ex.Message);
        if (cwd.Length > 0) Assert.Contains(cwd, ex.Message);
    }

    [Theory]
    [InlineData("/a/../../etc")]
    [InlineData("/proc/self/fd/5")]
    [InlineData("cache")]
    [InlineData("/")]
    public void Mount_destination_that_could_leave_the_root_is_refused(string destination)
    {
        var spec = Sample with { Mounts = [new(destination, "bind", "/host/cache", ["rbind"])] };
        var ex = Assert.Throws<InvalidArgumentException>(() => RuntimeSpecBuilder.Build(spec));
        Assert.Contains(destination, ex.Message);
    }

    [Fact]
    public void Bind_source_with_dot_dot_is_refused()
    {
        var spec = Sample with { Mounts = [new("/cache", "bind", "/var/lib/strata/cache/../../../etc", ["rbind"])] };
        var ex = Assert.Throws<InvalidArgumentException>(() => RuntimeSpecBuilder.Build(spec));
        Assert.Contains("/var/lib/strata/cache/../../../etc", ex.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("..")]
    [InlineData("a/b")]
    [InlineData("a b")]
    public void Bad_container_id_is_refused(string id)
    {
        Assert.Throws<InvalidArgumentException>(() => RuntimeSpecBuilder.Build(Sample with { Id = id }));
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("a/b")]
    public void Bad_hostname_is_refused(string hostname)
    {
        Assert.Throws<InvalidArgumentException>(() => RuntimeSpecBuilder.Build(Sample with { Hostname = hostname }));
    }

    [Fact]
    public void Empty_args_and_env_without_equals_are_refused()
    {
        Assert.Throws<InvalidArgumentException>(() => RuntimeSpecBuilder.Build(Sample with { Process = Sample.Process with { Args = [] } }));
        Assert.Throws<InvalidArgumentException>(() => RuntimeSpecBuilder.Build(Sample with { Process = Sample.Process with { Env = ["NOEQUALS"] } }));
    }

    [Fact]
    public void Shm_size_and_ulimits_reach_the_spec_and_a_given_nofile_replaces_the_default()
    {
        var c = Build(Sample with { ShmSize = 134217728, Rlimits = [new ProcessRlimit("RLIMIT_NOFILE", 1024, 2048), new ProcessRlimit("RLIMIT_NPROC", 50, 60)] });

        var shm = c.GetProperty("mounts").EnumerateArray().Single(m => m.GetProperty("destination").GetString() == "/dev/shm");
        Assert.Contains("size=134217728", Strings(shm.GetProperty("options")));
        var limits = c.GetProperty("process").GetProperty("rlimits").EnumerateArray()
            .Select(r => (r.GetProperty("type").GetString(), r.GetProperty("soft").GetUInt64(), r.GetProperty("hard").GetUInt64())).ToList();
        Assert.Equal([("RLIMIT_NOFILE", 1024UL, 2048UL), ("RLIMIT_NPROC", 50UL, 60UL)], limits);
    }

    [Fact]
    public void Extra_hosts_that_would_forge_hosts_lines_and_soft_above_hard_limits_are_refused()
    {
        Assert.Throws<InvalidArgumentException>(() => RuntimeSpecBuilder.Build(Sample with { ExtraHosts = [new HostEntry("a b", "10.0.0.1")] }));
        Assert.Throws<InvalidArgumentException>(() => RuntimeSpecBuilder.Build(Sample with { ExtraHosts = [new HostEntry("db", "10.0.0.1\n1.2.3.4 evil")] }));
        Assert.Throws<InvalidArgumentException>(() => RuntimeSpecBuilder.Build(Sample with { Rlimits = [new ProcessRlimit("RLIMIT_NOFILE", 10, 5)] }));
        Assert.Throws<InvalidArgumentException>(() => RuntimeSpecBuilder.Build(Sample with { ShmSize = 0 }));
    }
}
