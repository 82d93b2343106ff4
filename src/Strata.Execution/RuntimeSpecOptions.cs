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
}
