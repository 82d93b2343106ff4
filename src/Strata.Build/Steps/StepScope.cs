using Strata.Archive;
using Strata.Build.Engine;
using Strata.Build.History;
using Strata.Rootfs.Users;
using Strata.Rootfs;
using Strata.Dockerfile.Expansion;
using Strata.Oci;

namespace Strata.Build.Steps;

/// <summary>
/// What a step executor works with besides the stage's state: the build (store, workspace,
/// step runner, request, progress), its stage, the stage's remote sources, and the step's
/// progress id; and the parts every filesystem step shares (history entries, committing a root).
/// </summary>
internal sealed class StepScope
{
    public StepScope(BuildContext build, ExpandedStage stage, RemoteSources sources, int id)
    {
        Build = build;
        Stage = stage;
        Sources = sources;
        Id = id;
    }

    public BuildContext Build { get; }

    public ExpandedStage Stage { get; }

    public RemoteSources Sources { get; }

    /// <summary>The step's id in the build's progress events.</summary>
    public int Id { get; }

    /// <summary>The Dockerfile's name, for errors that name a line.</summary>
    public string FileName => Build.Request.DockerfileName;

    /// <summary>A history entry's time: <c>SOURCE_DATE_EPOCH</c> when set, else the store's clock.</summary>
    public DateTimeOffset Now => Build.Request.SourceDateEpoch ?? Build.Store.Now;

    /// <summary>
    /// Step layers are committed uncompressed (<c>application/vnd.oci.image.layer.v1.tar</c>):
    /// most never leave the machine, and an export compresses the others once
    /// (<see cref="Images.Transfer.CompressingSink"/>). See bench/RESULTS.md for the numbers.
    /// </summary>
    public LayerWriteOptions WriteOptions => LayerWriteOptions.Default with
    {
        SourceDateEpoch = Build.Request.SourceDateEpoch,
        Compression = LayerCompression.None,
    };

    public HistoryEntry History(string createdBy, bool empty) =>
        new() { Created = Now, CreatedBy = createdBy, Comment = HistoryText.Comment, EmptyLayer = empty };

    /// <summary>Commits a step's root as the next layer (none when nothing changed, unless <paramref name="keepEmpty"/>) with its history entry.</summary>
    public async Task<StageState> CommitAsync(StageState state, IStepRootfs rootfs, string createdBy, bool keepEmpty, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(rootfs);
        var layer = await rootfs.CommitAsync(WriteOptions, keepEmpty, cancellationToken).ConfigureAwait(false);
        Build.CountStep(layer is not null);
        if (layer is null) return state.AddHistory(History(createdBy, empty: true));
        return state.AddLayer(layer.Layer, layer.Snapshot).AddHistory(History(createdBy, empty: false));
    }

    /// <summary>The users and groups of the stage so far (its /etc/passwd and /etc/group), read through a view.</summary>
    public async Task<UserDatabase> ParentUsersAsync(StageState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        var view = await Build.Workspace.ViewAsync(state.Snapshot, cancellationToken).ConfigureAwait(false);
        await using (view.ConfigureAwait(false))
        {
            return await UserDatabase.ReadAsync(view.Path, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The owner a --chown names, resolved in the target root's passwd/group; null without --chown.</summary>
    public static async Task<(uint, uint)?> ChownOwnerAsync(string? chown, string rootfs, CancellationToken cancellationToken) =>
        chown is null ? null : (await UserDatabase.ReadAsync(rootfs, cancellationToken).ConfigureAwait(false)).ResolveChown(chown);
}
