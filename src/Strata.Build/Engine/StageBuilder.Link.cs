using System.Globalization;
using Strata.Build.Cache;
using Strata.Build.FileOps;
using Strata.Dockerfile.Instructions;
using Strata.Rootfs;
using Strata.Rootfs.Users;

namespace Strata.Build.Engine;

/// <summary>
/// COPY/ADD --link: the step's files are written into an empty root and committed as a layer of
/// their own (missing destination parents created 0755 as BuildKit's copy makes them, nothing of
/// the parent copied up), then that layer is stacked on the parent for the following steps.
/// Its layer is also found by a key without the parent (<see cref="LinkInputs"/>), so after a
/// base change the step stays cached and its layer is stacked on the new parent (BuildKit's
/// rebase); the chained key, which later steps build on, still holds the parent.
/// </summary>
internal sealed partial class StageBuilder
{
    /// <summary>
    /// Whether a step is linked. BuildKit's frontend merges a --link copy only without --chmod
    /// (with it, the copy is a plain one onto the parent, cache key included); ADD of URLs is
    /// copied onto the parent here.
    /// </summary>
    private static bool IsLinked(Instruction instruction) => instruction switch
    {
        CopyInstruction copy => copy.Link && copy.Chmod is null,
        AddInstruction add => add.Link && add.Chmod is null && !add.Sources.Any(HttpSource.IsUrl),
        _ => false,
    };

    /// <summary>What a linked step's layer takes from its parent (null: the step is not linked).</summary>
    private async Task<LinkInputs?> LinkInputsAsync(StageState state, Instruction instruction, CancellationToken cancellationToken)
    {
        if (!IsLinked(instruction)) return null;
        var (destination, chown) = instruction switch
        {
            CopyInstruction copy => (copy.Destination, copy.Chown),
            AddInstruction add => (add.Destination, add.Chown),
            _ => ("/", null),
        };
        string? workdir = destination.StartsWith('/') ? null : state.WorkingDirOrRoot;
        string? owner = null;
        if (chown is not null)
        {
            // Numeric ids need no lookup; names resolve in the parent, as the copy resolves them.
            var numeric = chown.Split(':').All(p => p.Length > 0 && p.All(char.IsAsciiDigit));
            var users = numeric ? UserDatabase.Empty : await ParentUsersAsync(state, cancellationToken).ConfigureAwait(false);
            var (uid, gid) = users.ResolveChown(chown);
            owner = uid.ToString(CultureInfo.InvariantCulture) + ":" + gid.ToString(CultureInfo.InvariantCulture);
        }
        return new LinkInputs(workdir, owner);
    }

    /// <summary>
    /// A linked step whose chained key missed, found by its parent-independent key: its layer
    /// (the same blob, nothing copied) stacked on this parent, recorded under the chained key too
    /// so the next build on this parent hits directly. Null when no record has the key.
    /// </summary>
    private async Task<CacheProbe?> RebaseAsync(StageState state, CacheKey key, CacheKey link, CancellationToken cancellationToken)
    {
        var (record, layer, _, _) = await _build.Cache.FindAsync(link, _build.Workspace, cancellationToken).ConfigureAwait(false);
        if (record is null) return null;
        var snapshot = layer is null ? null : await _build.Workspace.StackAsync(state.Snapshot, state.DiffIds, layer, cancellationToken).ConfigureAwait(false);
        var chained = new CacheRecord(key, record.Layer, snapshot, record.CreatedBy, record.HistoryCreated);
        await _build.Cache.PutAsync(chained, cancellationToken).ConfigureAwait(false);
        return new CacheProbe(key, chained, layer);
    }

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
