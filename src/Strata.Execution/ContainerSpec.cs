namespace Strata.Execution;

/// <summary>
/// Everything needed to run one container. The executor never mounts the root filesystem: the
/// caller (the build's snapshotter) hands it an already-mounted directory.
/// </summary>
/// <param name="Id">Unique among running containers: letters, digits, <c>_ . + -</c>; at most 128 characters.</param>
/// <param name="RootfsPath">An absolute path to the mounted root filesystem directory; writes by the process land there.</param>
/// <param name="Process">The process to run.</param>
/// <param name="Mounts">Extra mounts after the defaults.</param>
/// <param name="Network">Loopback only, the host's network, or a namespace of its own with outbound NAT.</param>
/// <param name="Hostname">The UTS hostname; also written into the generated <c>/etc/hosts</c> and <c>/etc/hostname</c>.</param>
public sealed record ContainerSpec(
    string Id,
    string RootfsPath,
    ProcessSpec Process,
    IReadOnlyList<ContainerMount> Mounts,
    NetworkMode Network,
    string Hostname)
{
    /// <summary>
    /// Bind-mounts the generated <c>/etc/hostname</c>. Default true (<c>docker run</c> gives one);
    /// a build step sets false, as BuildKit mounts only <c>/etc/hosts</c> and <c>/etc/resolv.conf</c>
    /// into RUN.
    /// </summary>
    public bool MountsEtcHostname { get; init; } = true;

    /// <summary>
    /// Bind-mounts the generated <c>/etc/hosts</c>, <c>/etc/resolv.conf</c> and <c>/etc/hostname</c>
    /// writable. Default false: a build step may read them only (BuildKit binds them read-only, and
    /// nothing of the host's network setup may reach a layer). <c>docker run</c> gives a container
    /// its own copies it may edit (<c>echo ... &gt;&gt; /etc/hosts</c>); the edits stay in the
    /// bundle, never in the root filesystem.
    /// </summary>
    public bool WritableEtcFiles { get; init; }

    /// <summary>Mounts the root filesystem read-only. Default false (a RUN writes into its layer).</summary>
    public bool ReadonlyRootfs { get; init; }

    /// <summary>
    /// Capabilities granted on top of Docker's default set, as <c>CAP_SYS_ADMIN</c> or
    /// <c>SYS_ADMIN</c> (for <c>RUN --security=insecure</c>). Null or empty: the default set only.
    /// </summary>
    public IReadOnlyList<string>? ExtraCapabilities { get; init; }

    /// <summary>
    /// When set, the bundle (config.json with the process environment, generated /etc files,
    /// runtime log) is written under this existing directory instead of
    /// <see cref="RuncOptions.BundleDirectory"/>: a build step whose environment holds a secret
    /// passes a private tmpfs directory, so the value never reaches a persistent disk.
    /// </summary>
    public string? BundleDirectory { get; init; }

    /// <summary>
    /// Lines added to the generated <c>/etc/hosts</c> after the defaults (<c>--add-host</c>). Null or
    /// empty: none. <see cref="HostEntry.HostGateway"/> is written as the address where the host's
    /// loopback services answer: 10.0.2.2 with <see cref="NetworkMode.Nat"/> (and only then may the
    /// container reach the host's 127.0.0.1 through it), 127.0.0.1 with <see cref="NetworkMode.Host"/>;
    /// with <see cref="NetworkMode.None"/> 10.0.2.2 too, unreachable, as docker writes its bridge
    /// gateway for a container without network.
    /// </summary>
    public IReadOnlyList<HostEntry>? ExtraHosts { get; init; }

    /// <summary>Host ports forwarded into the container; only with <see cref="NetworkMode.Nat"/>. Null or empty: none.</summary>
    public IReadOnlyList<PublishedPort>? Ports { get; init; }

    /// <summary>Size of the <c>/dev/shm</c> tmpfs in bytes. Null: Docker's 64 MiB.</summary>
    public long? ShmSize { get; init; }

    /// <summary>Resource limits replacing the defaults of the same type (<c>--ulimit</c>). Null or empty: the defaults only.</summary>
    public IReadOnlyList<ProcessRlimit>? Rlimits { get; init; }

    /// <summary>When set, the runtime writes the container's init pid there once it is created (a detached container's monitor watches for it).</summary>
    public string? PidFile { get; init; }

    /// <summary>
    /// The container dies with the calling process, even one killed with SIGKILL (see
    /// <c>CallerBoundRuntime</c>). Only the caller can reach it: from outside, the runtime sees it
    /// as stopped, so it cannot be signalled, entered or given a terminal. For build steps.
    /// Default false.
    /// </summary>
    public bool BoundToCaller { get; init; }
}
