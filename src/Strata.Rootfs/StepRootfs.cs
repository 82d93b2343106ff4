using Strata.Archive;
using Strata.Core;
using Strata.Core.Unix;
using Strata.Snapshots;

namespace Strata.Rootfs;

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
        // Unmounting an overlay syncs its upper filesystem: after a step that wrote 100+ MB that
        // is seconds of disk time. The layer is read from the upper dir meanwhile (the step's
        // processes are gone, nothing writes there any more); the snapshot is committed, or
        // removed, only once the unmount is done.
        var unmounted = UnmountAsync();
        _done = true;
        try
        {
            return await _workspace.CommitAsync(_key, _parent, _parentDiffIds, options, keepEmpty, unmounted, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // A snapshot that may still be mounted is left alone (as when the unmount itself fails).
            if (!unmounted.IsCompletedSuccessfully && !await SucceedsAsync(unmounted).ConfigureAwait(false)) throw;
            await _workspace.RemoveAsync(_key).ConfigureAwait(false);
            throw;
        }
    }

    private static async Task<bool> SucceedsAsync(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnixException or InvalidOperationException)
        {
            return false;
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
