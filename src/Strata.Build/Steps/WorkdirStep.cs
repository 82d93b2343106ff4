using Strata.Build.Config;
using Strata.Build.Engine;
using Strata.Build.FileOps;
using Strata.Build.History;
using Strata.Rootfs;
using Strata.Rootfs.Users;
using Strata.Dockerfile.Instructions;

namespace Strata.Build.Steps;

/// <summary>
/// WORKDIR: the config's working directory changes, and the directory is made in the root
/// filesystem as BuildKit makes it, which keeps the result as a layer (empty when the directory
/// existed) for every WORKDIR but "/".
/// </summary>
internal sealed class WorkdirStep : IStepExecutor
{
    private readonly WorkdirInstruction _workdir;

    public WorkdirStep(WorkdirInstruction workdir) => _workdir = workdir;

    /// <summary>The config change alone, as a cached WORKDIR step re-applies it over its reused layer.</summary>
    public static StageState Configure(StageState state, WorkdirInstruction workdir)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state.WithContainer(ImageConfigEditor.Apply(state.Container, workdir, state.CmdSet));
    }

    public async Task<StageState> ExecuteAsync(StageState state, StepScope scope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        state = Configure(state, _workdir);
        var container = state.Container;
        await using var rootfs = await scope.Build.Workspace.PrepareAsync(state.Snapshot, state.DiffIds, cancellationToken).ConfigureAwait(false);
        // BuildKit makes the directory with its parents (0755) owned by the stage's USER, each
        // created component chowned (uid and primary group as --chown resolves them); existing
        // components keep their owner.
        (uint Uid, uint Gid)? owner = container.User is { Length: > 0 } user
            ? (await UserDatabase.ReadAsync(rootfs.Path, cancellationToken).ConfigureAwait(false)).ResolveChown(user)
            : null;
        var parts = container.WorkingDir!.Split('/', StringSplitOptions.RemoveEmptyEntries);
        for (int i = 1; i <= parts.Length; i++)
        {
            var path = ScopedPath.Resolve(rootfs.Path, "/" + string.Join('/', parts[..i]));
            if (Directory.Exists(path)) continue;
            Directory.CreateDirectory(path);
            Core.Unix.Libc.Chmod(path, 0x1ED);
            if (owner is { } o) Core.Unix.Libc.Lchown(path, (int)o.Uid, (int)o.Gid);
        }
        // BuildKit runs its mkdir for every WORKDIR but "/" and keeps the result as a layer even
        // when the directory existed (an empty layer, not an empty_layer history entry).
        return await scope.CommitAsync(state, rootfs, HistoryText.ForMetadata(_workdir, container), keepEmpty: container.WorkingDir != "/", cancellationToken).ConfigureAwait(false);
    }
}
