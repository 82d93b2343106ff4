using Strata.Archive;
using Strata.Core;
using Strata.Snapshots;

namespace Strata.Build.Workspace;

/// <summary>A step's writable snapshot, mounted until it is committed or discarded.</summary>
internal sealed class StepRootfs : IStepRootfs
{
    private readonly SnapshotWorkspace _workspace;
    private readonly string _key;
    private readonly string? _parent;
    private readonly IReadOnlyList<DiffId> _parentDiffIds;
    private TemporaryMount? _mount;
    private bool _done;

    public StepRootfs(SnapshotWorkspace workspace, string key, string? parent, IReadOnlyList<DiffId> parentDiffIds, TemporaryMount mount)
    {
        _workspace = workspace;
        _key = key;
        _parent = parent;
        _parentDiffIds = parentDiffIds;
        _mount = mount;
        Path = mount.Target;
    }

    public string Path { get; }

    public async Task<CommittedLayer?> CommitAsync(LayerWriteOptions options, bool keepEmpty, CancellationToken cancellationToken)
    {
        await UnmountAsync().ConfigureAwait(false);
        _done = true;
        try
        {
            return await _workspace.CommitAsync(_key, _parent, _parentDiffIds, options, keepEmpty, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await _workspace.RemoveAsync(_key).ConfigureAwait(false);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await UnmountAsync().ConfigureAwait(false);
        if (!_done)
        {
            _done = true;
            await _workspace.RemoveAsync(_key).ConfigureAwait(false);
        }
    }

    private async Task UnmountAsync()
    {
        if (_mount is null) return;
        var mount = _mount;
        _mount = null;
        await mount.DisposeAsync().ConfigureAwait(false);
    }
}
