using Strata.Core.Unix;
using Strata.Execution;

namespace Strata.Build.Engine;

/// <summary>Runs RUN steps through an <see cref="IContainerExecutor"/> (runc), one container per step, output split into lines.</summary>
public sealed class RuncStepRunner : IStepRunner
{
    /// <summary>Ids of step containers: the building process's token follows (Build/Leftovers reaps those of killed builds).</summary>
    public const string ContainerIdPrefix = "strata-build-";

    private readonly Lazy<IContainerExecutor> _executor;

    public RuncStepRunner(IContainerExecutor executor) => _executor = new(executor);

    /// <summary>Creates the executor at the first RUN: finding and asking the runtime its version
    /// costs a process start that a fully cached build does not need.</summary>
    public RuncStepRunner(Func<IContainerExecutor> createExecutor) => _executor = new(createExecutor, LazyThreadSafetyMode.ExecutionAndPublication);

    public async Task<int> RunAsync(StepRun run, Action<string> onLine, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        var spec = new ContainerSpec(
            $"{ContainerIdPrefix}{OwnerProcess.Current.Token}-{Guid.NewGuid().ToString("N")[..16]}",
            run.Rootfs,
            new ProcessSpec(run.Args, run.Env, run.Cwd, new ProcessUser(run.User.Uid, run.User.Gid, run.User.AdditionalGids)),
            run.Mounts,
            run.Network,
            run.Hostname)
        {
            MountsEtcHostname = false,
            BundleDirectory = run.BundleDirectory,
            ExtraHosts = run.Options.ExtraHosts,
            ShmSize = run.Options.ShmSize,
            Rlimits = run.Options.Ulimits,
            // Nobody else reaches a step's container, and it must not outlive a killed build.
            BoundToCaller = true,
        };
        // Secrets are masked in the byte stream, so a value split over two reads of the pipe or
        // over several lines is still found; lines, progress, logs and errors never see it.
        await using var stdout = run.Mask.Wrap(new LineStream(onLine));
        await using var stderr = run.Mask.Wrap(new LineStream(onLine));
        var result = await _executor.Value.RunAsync(spec, null, stdout, stderr, cancellationToken).ConfigureAwait(false);
        return result.ExitCode;
    }
}
