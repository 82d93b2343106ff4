using Strata.Build.Users;
using Strata.Build.Workspace;

namespace Strata.Build.Engine;

/// <summary>
/// COPY/ADD --link: the step's files are written into an empty root and committed as a layer of
/// their own (missing destination parents created 0755 as BuildKit's copy makes them, nothing of
/// the parent copied up), then that layer is stacked on the parent for the following steps.
/// </summary>
internal sealed partial class StageBuilder
{
    private async Task<UserDatabase> ParentUsersAsync(StageState state, CancellationToken cancellationToken)
    {
        var view = await _build.Workspace.ViewAsync(state.Snapshot, cancellationToken).ConfigureAwait(false);
        await using (view.ConfigureAwait(false))
        {
            return await UserDatabase.ReadAsync(view.Path, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<StageState> CommitLinkedAsync(StageState state, IStepRootfs rootfs, string createdBy, CancellationToken cancellationToken)
    {
        var committed = await rootfs.CommitAsync(WriteOptions, keepEmpty: false, cancellationToken).ConfigureAwait(false);
        _build.CountStep(committed is not null);
        if (committed is null) return state.AddHistory(History(createdBy, empty: true));
        var stacked = await _build.Workspace.StackAsync(state.Snapshot, state.DiffIds, committed.Layer, cancellationToken).ConfigureAwait(false);
        return state.AddLayer(committed.Layer, stacked).AddHistory(History(createdBy, empty: false));
    }
}
