namespace Strata.Execution;

/// <summary>Where <see cref="RuncExecutor"/> finds its runtime and keeps its files.</summary>
public sealed record RuncOptions
{
    /// <summary>
    /// The runtime's state root (<c>runc --root</c>). Strata's own directory, never
    /// <c>/run/runc</c>, so its containers never mix with Docker's or containerd's. Created 0700.
    /// </summary>
    public required string StateDirectory { get; init; }

    /// <summary>Where each run's bundle (<c>config.json</c>, generated /etc files, runtime log) lives, one directory per container id, removed after the run.</summary>
    public required string BundleDirectory { get; init; }

    /// <summary><c>runc</c> (default), <c>crun</c>, or an absolute path to an OCI runtime with runc's command line.</summary>
    public string Runtime { get; init; } = "runc";

    /// <summary>Directories searched, in order, for a runtime given by name. Libraries do not read PATH.</summary>
    public IReadOnlyList<string> SearchDirectories { get; init; } =
        ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"];

    /// <summary>The host resolver configuration copied into each container's <c>/etc/resolv.conf</c>. Default <c>/etc/resolv.conf</c>.</summary>
    public string HostResolvConfPath { get; init; } = "/etc/resolv.conf";

    /// <summary>Defaults of the generated config.json (cgroup parent, open files limit).</summary>
    public RuntimeSpecOptions Spec { get; init; } = RuntimeSpecOptions.Default;

    /// <summary>True when strata runs rootless, as root of the user's namespace: see <see cref="RuntimeSpecOptions.Rootless"/>. Default false.</summary>
    public bool Rootless { get; init; }

    /// <summary>How long a cancelled run may take to die after SIGKILL before the runtime itself is killed. Default 10 s.</summary>
    public TimeSpan KillTimeout { get; init; } = TimeSpan.FromSeconds(10);
}
