using Strata.Rootfs.Users;

namespace Strata.Build.Engine;

/// <summary>Runs a RUN step's process in a container on a mounted root filesystem.</summary>
public interface IStepRunner
{
    /// <summary>Runs to completion, handing each output line to <paramref name="onLine"/>; returns the exit code.</summary>
    Task<int> RunAsync(StepRun run, Action<string> onLine, CancellationToken cancellationToken);
}

/// <summary>One RUN's process: the command, environment, working directory and user, as the image defines them.</summary>
public sealed record StepRun(string Rootfs, IReadOnlyList<string> Args, IReadOnlyList<string> Env, string Cwd, ResolvedUser User, Execution.NetworkMode Network, string Hostname)
{
    /// <summary>The step's RUN --mount mounts, applied after the default ones.</summary>
    public IReadOnlyList<Execution.ContainerMount> Mounts { get; init; } = [];

    /// <summary>Where the runtime bundle goes instead of the executor's default (a tmpfs directory when the environment holds a secret); null: the default.</summary>
    public string? BundleDirectory { get; init; }

    /// <summary>Extra hosts, /dev/shm size and rlimits of the container (<c>--add-host</c>, <c>--shm-size</c>, <c>--ulimit</c>).</summary>
    public RunOptions Options { get; init; } = RunOptions.Default;

    /// <summary>The build's secret values: the runner masks them in the output before it splits it into lines.</summary>
    public SecretMask Mask { get; init; } = SecretMask.None;
}
