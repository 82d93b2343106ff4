using Strata.Build.Engine;
using Strata.Build.FileOps;
using Strata.Build.History;
using Strata.Rootfs;
using Strata.Rootfs.Users;
using Strata.Core;
using Strata.Dockerfile.Instructions;

namespace Strata.Build.Steps;

/// <summary>
/// RUN: the command runs through the build's <see cref="IStepRunner"/> on a writable root over
/// the stage's layers, with the image's env, user and workdir and the step's --mount mounts; what
/// it changed becomes the next layer. At most one RUN per core runs at a time. A non-zero exit
/// fails the step naming the Dockerfile line and the last lines of output.
/// </summary>
internal sealed class RunStep : IStepExecutor
{
    private readonly RunInstruction _run;
    private readonly IReadOnlyDictionary<string, string>? _runEnvironment;

    public RunStep(RunInstruction run, IReadOnlyDictionary<string, string>? runEnvironment)
    {
        _run = run;
        _runEnvironment = runEnvironment;
    }

    public async Task<StageState> ExecuteAsync(StageState state, StepScope scope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(scope);
        var build = scope.Build;
        var run = _run;
        EnsureCanRun(scope, state.Config.Platform);
        var container = state.Container;
        var shell = container.Shell ?? ["/bin/sh", "-c"];
        IReadOnlyList<string> args = run.Command.PrependShell
            ? [.. shell, run.ShellScript()]
            : run.Command.Args;
        var env = RunEnvironment.Of(container, _runEnvironment, build.Request.BuildArgs);
        var cwd = state.WorkingDirOrRoot;
        await using var rootfs = await build.Workspace.PrepareAsync(state.Snapshot, state.DiffIds, cancellationToken).ConfigureAwait(false);
        var users = await UserDatabase.ReadAsync(rootfs.Path, cancellationToken).ConfigureAwait(false);
        var user = users.ResolveRunUser(container.User);
        Directory.CreateDirectory(ScopedPath.Resolve(rootfs.Path, cwd));
        // RUN --mount (Engine/Mounts): released, and secret files deleted, when the step ends.
        await using var mounts = await new Engine.Mounts.RunMountPreparer(build).PrepareAsync(run.Mounts, cwd, cancellationToken).ConfigureAwait(false);
        var tail = new Queue<string>();
        int exit;
        await build.RunSlots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            exit = await build.Runner.RunAsync(new StepRun(rootfs.Path, args, mounts.WithEnvironment(env), cwd, user, Network(run.Network, build.Request.Network), "strata") { Mounts = mounts.Mounts, BundleDirectory = mounts.BundleDirectory, Options = build.Request.Run, Mask = build.SecretMask }, line =>
            {
                build.Progress.StepOutput(scope.Id, line);
                lock (tail)
                {
                    tail.Enqueue(line);
                    if (tail.Count > 5) tail.Dequeue();
                }
            }, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            build.RunSlots.Release();
        }
        // Before the commit: a locked cache is free for the next build and the secrets are gone.
        await mounts.DisposeAsync().ConfigureAwait(false);
        if (exit != 0)
        {
            var last = tail.Count > 0 ? $"; last output: {string.Join(" | ", tail)}" : "";
            throw new BuildStepException($"{scope.FileName}:{run.Range.StartLine}: RUN {string.Join(' ', run.Command.Args)}: process did not complete successfully: exit code {exit}{last}");
        }
        return await scope.CommitAsync(state, rootfs, HistoryText.ForRun(args, state.Args), keepEmpty: false, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// <c>RUN --network=none</c> takes the step off the network; <c>host</c> is granted only when the
    /// build itself runs with the host's network (BuildKit wants the network.host entitlement,
    /// which <c>docker build --network host</c> gives), else the step keeps the build's network.
    /// </summary>
    private static Execution.NetworkMode Network(RunNetwork step, Execution.NetworkMode build) =>
        step == RunNetwork.None ? Execution.NetworkMode.None : build;

    /// <summary>Fails RUN in an image (of <paramref name="platform"/>) whose binaries this host can neither run natively nor through binfmt_misc.</summary>
    private void EnsureCanRun(StepScope scope, Platform platform)
    {
        if (BinfmtMisc.CanExecute(platform, Platform.Host, scope.Build.Request.BinfmtMiscRoot, out var why)) return;
        throw new BuildStepException(EmulationPreflight.Message(scope.FileName, _run, platform, why));
    }
}
