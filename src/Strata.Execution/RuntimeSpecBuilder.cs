using System.Text.Json;
using Strata.Execution.Spec;

namespace Strata.Execution;

/// <summary>
/// Turns a <see cref="ContainerSpec"/> into runtime-spec <c>config.json</c> bytes with Docker's
/// defaults for a RUN step: Docker's capability set, new pid/ipc/uts/mount/cgroup namespaces
/// (and network unless <see cref="NetworkMode.Host"/>: a new one, or the NAT network's pinned one), the usual /proc, /dev, /sys mounts,
/// Docker's masked and read-only paths, <c>noNewPrivileges</c> false (setuid binaries work, as in
/// <c>docker build</c>), and <c>/etc/hosts</c>, <c>/etc/resolv.conf</c>, <c>/etc/hostname</c>
/// bind-mounted (read-only unless <see cref="ContainerSpec.WritableEtcFiles"/>) from files generated outside the root filesystem.
/// </summary>
public static class RuntimeSpecBuilder
{
    /// <summary>The runtime-spec version written; runc 1.0 and crun 1.0 read it.</summary>
    public const string OciVersion = "1.0.2";

    /// <summary>File names of the generated <c>/etc</c> files, as they are written beside <c>config.json</c>.</summary>
    internal static readonly (string Destination, string FileName)[] EtcFiles =
    [
        ("/etc/hosts", "hosts"),
        ("/etc/resolv.conf", "resolv.conf"),
        ("/etc/hostname", "hostname"),
    ];

    private static readonly string[] MaskedPaths =
    [
        "/proc/asound", "/proc/acpi", "/proc/interrupts", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
        "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/sys/firmware",
        "/sys/devices/virtual/powercap",
    ];

    private static readonly string[] ReadonlyPaths =
        ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"];

    /// <summary>config.json for <paramref name="spec"/> with <see cref="RuntimeSpecOptions.Default"/>.</summary>
    /// <exception cref="Core.InvalidArgumentException">The spec breaks a rule (see <see cref="IContainerExecutor"/>).</exception>
    public static byte[] Build(ContainerSpec spec) => Build(spec, RuntimeSpecOptions.Default);

    /// <summary>config.json for <paramref name="spec"/>.</summary>
    /// <exception cref="Core.InvalidArgumentException">The spec breaks a rule (see <see cref="IContainerExecutor"/>).</exception>
    public static byte[] Build(ContainerSpec spec, RuntimeSpecOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        SpecRules.Validate(spec);
        return JsonSerializer.SerializeToUtf8Bytes(ToOci(spec, options), OciSpecJsonContext.Default.OciSpec);
    }

    /// <summary>Every mount of the container in the order the runtime applies them.</summary>
    internal static IReadOnlyList<OciMount> Mounts(ContainerSpec spec, RuntimeSpecOptions options)
    {
        string[] noSuidExecDev = ["nosuid", "noexec", "nodev"];
        var mounts = new List<OciMount>
        {
            new("/proc", "proc", "proc", noSuidExecDev),
            new("/dev", "tmpfs", "tmpfs", ["nosuid", "strictatime", "mode=755", "size=65536k"]),
            new("/dev/pts", "devpts", "devpts", ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", .. options.DevptsGroup is { } tty ? [$"gid={tty.ToString(System.Globalization.CultureInfo.InvariantCulture)}"] : Array.Empty<string>()]),
            new("/dev/shm", "tmpfs", "shm", [.. noSuidExecDev, "mode=1777", spec.ShmSize is { } shm ? $"size={shm.ToString(System.Globalization.CultureInfo.InvariantCulture)}" : "size=65536k"]),
            new("/dev/mqueue", "mqueue", "mqueue", noSuidExecDev),
            options.Rootless && spec.Network == NetworkMode.Host
                ? new("/sys", "bind", "/sys", ["rbind", "ro", .. noSuidExecDev])
                : new("/sys", "sysfs", "sysfs", ["ro", .. noSuidExecDev]),
            new("/sys/fs/cgroup", "cgroup", "cgroup", ["ro", .. noSuidExecDev]),
        };
        foreach (var (destination, fileName) in EtcFiles)
        {
            if (destination == "/etc/hostname" && !spec.MountsEtcHostname) continue;
            var source = options.EtcFilesDirectory is null ? fileName : Path.Combine(options.EtcFilesDirectory, fileName);
            // Not in the root filesystem, so nothing of the host's network setup can end up in a
            // layer; read-only for a build step (BuildKit's rule), writable for a run (docker's).
            mounts.Add(new OciMount(destination, "bind", source, spec.WritableEtcFiles ? ["rbind", "nosuid", "nodev", "noexec"] : ["rbind", "ro", "nosuid", "nodev", "noexec"]));
        }
        foreach (var m in spec.Mounts ?? [])
            mounts.Add(new OciMount(m.Destination, m.Type, m.Source, m.Options ?? []));
        return mounts;
    }

    private static OciSpec ToOci(ContainerSpec spec, RuntimeSpecOptions options)
    {
        var caps = Capabilities.DockerDefault.ToList();
        foreach (var extra in spec.ExtraCapabilities ?? [])
        {
            var name = Capabilities.Normalize(extra)!;
            if (!caps.Contains(name, StringComparer.Ordinal)) caps.Add(name);
        }

        var p = spec.Process;
        var process = new OciProcess(
            Terminal: p.Terminal,
            User: new OciUser(p.User.Uid, p.User.Gid, p.User.AdditionalGids is { Count: > 0 } g ? g : null),
            Args: p.Args,
            Env: p.Env ?? [],
            Cwd: p.Cwd,
            Capabilities: new OciCapabilities(caps, caps, caps),
            Rlimits: Rlimits(spec, options),
            NoNewPrivileges: false);

        var namespaces = new List<OciNamespace> { new("pid"), new("ipc"), new("uts"), new("mount") };
        if (spec.Network == NetworkMode.None) namespaces.Add(new OciNamespace("network"));
        else if (spec.Network == NetworkMode.Nat) namespaces.Add(new OciNamespace("network", options.NetworkNamespacePath));
        namespaces.Add(new OciNamespace("cgroup"));

        var linux = new OciLinux(
            Namespaces: namespaces,
            CgroupsPath: options.CgroupParent is null || options.Rootless ? null : $"/{options.CgroupParent.Trim('/')}/{spec.Id}",
            Resources: options.Rootless ? null : new OciResources(DeviceRules()),
            MaskedPaths: MaskedPaths,
            ReadonlyPaths: ReadonlyPaths);

        return new OciSpec(
            OciVersion,
            process,
            new OciRoot(spec.RootfsPath, spec.ReadonlyRootfs),
            spec.Hostname,
            Mounts(spec, options),
            linux);
    }

    /// <summary>The default RLIMIT_NOFILE unless the spec sets it, then the spec's limits in the order given.</summary>
    private static List<OciRlimit> Rlimits(ContainerSpec spec, RuntimeSpecOptions options)
    {
        var given = spec.Rlimits ?? [];
        var limits = new List<OciRlimit>();
        if (!given.Any(r => r.Type == "RLIMIT_NOFILE")) limits.Add(new OciRlimit("RLIMIT_NOFILE", options.OpenFilesLimit, options.OpenFilesLimit));
        limits.AddRange(given.Select(r => new OciRlimit(r.Type, r.Hard, r.Soft)));
        return limits;
    }

    /// <summary>
    /// Docker's device cgroup: deny everything, then allow the character devices every program
    /// expects (null, zero, urandom, random, tty, console); the runtime adds its own defaults
    /// (full, ptmx, pts). FUSE stays denied.
    /// </summary>
    private static OciDeviceRule[] DeviceRules() =>
    [
        new(false, "rwm"),
        new(true, "rwm", "c", 1, 5),
        new(true, "rwm", "c", 1, 3),
        new(true, "rwm", "c", 1, 9),
        new(true, "rwm", "c", 1, 8),
        new(true, "rwm", "c", 5, 0),
        new(true, "rwm", "c", 5, 1),
        new(false, "rwm", "c", 10, 229),
    ];
}
