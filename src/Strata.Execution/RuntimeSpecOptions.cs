namespace Strata.Execution;

/// <summary>How <see cref="RuntimeSpecBuilder"/> fills what a <see cref="ContainerSpec"/> does not say.</summary>
public sealed record RuntimeSpecOptions
{
    /// <summary>The defaults below.</summary>
    public static RuntimeSpecOptions Default { get; } = new();

    /// <summary>
    /// The cgroup parent: containers go to <c>/&lt;parent&gt;/&lt;id&gt;</c>, apart from Docker's
    /// <c>/docker</c> and BuildKit's <c>/buildkit</c>. Default <c>strata</c>; null leaves the
    /// choice to the runtime.
    /// </summary>
    public string? CgroupParent { get; init; } = "strata";

    /// <summary>
    /// RLIMIT_NOFILE, soft and hard. Default 1048576 (Docker's usual daemon limit). A host that
    /// cannot raise its own limit that far refuses it, so <see cref="RuncExecutor"/> lowers this
    /// to what the host allows.
    /// </summary>
    public ulong OpenFilesLimit { get; init; } = 1048576;

    /// <summary>
    /// The host directory holding the generated <c>hosts</c>, <c>resolv.conf</c> and
    /// <c>hostname</c> files that are bind-mounted into <c>/etc</c>. Default null: the file names
    /// are written relative, and the runtime resolves them against the bundle directory.
    /// </summary>
    public string? EtcFilesDirectory { get; init; }

    /// <summary>
    /// The file a <see cref="NetworkMode.Nat"/> container's network namespace is pinned on (the
    /// runtime joins it instead of making one). Default null: a new, empty namespace, as with
    /// <see cref="NetworkMode.None"/>.
    /// </summary>
    public string? NetworkNamespacePath { get; init; }

    /// <summary>
    /// True when the runtime runs as root of a rootless user's namespace. Then the container gets
    /// no cgroup path and no device rules (an unprivileged user may create neither a cgroup outside
    /// its delegation nor device-cgroup programs; runc bind-mounts the host's device nodes, which
    /// the user could open anyway), and with the host's network <c>/sys</c> is a read-only bind of
    /// the host's, since sysfs may only be mounted by the owner of the network namespace. Default false.
    /// </summary>
    public bool Rootless { get; init; }

    /// <summary>
    /// The group of <c>/dev/pts</c> entries (devpts <c>gid=</c>). Default 5 (tty), as Docker; null
    /// omits it, for a rootless user namespace without subordinate ids where group 5 does not
    /// exist and the kernel refuses the mount.
    /// </summary>
    public int? DevptsGroup { get; init; } = 5;
}
