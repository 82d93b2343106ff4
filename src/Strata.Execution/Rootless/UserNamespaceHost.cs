namespace Strata.Execution.Rootless;

/// <summary>What the host offers a rootless user: who they are and where the kernel settings, subordinate id files and helpers live. The CLI fills it; libraries read no environment.</summary>
public sealed record UserNamespaceHost
{
    public required int Uid { get; init; }

    public required int Gid { get; init; }

    public required string UserName { get; init; }

    /// <summary>Default <c>/etc/subuid</c>.</summary>
    public string SubuidFile { get; init; } = "/etc/subuid";

    /// <summary>Default <c>/etc/subgid</c>.</summary>
    public string SubgidFile { get; init; } = "/etc/subgid";

    /// <summary>Default <c>/proc/sys</c>: where max_user_namespaces and the distribution switches are read.</summary>
    public string ProcSys { get; init; } = "/proc/sys";

    /// <summary>Directories searched for newuidmap, newgidmap and unshare.</summary>
    public IReadOnlyList<string> SearchDirectories { get; init; } = DefaultSearchDirectories;

    /// <summary>Where helpers are looked for by default (the native start-up in Strata.Cli looks in the same places).</summary>
    public static IReadOnlyList<string> DefaultSearchDirectories { get; } =
        ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"];
}
