using Strata.Snapshots;

namespace Strata.Rootfs;

/// <summary>A mounted read-only snapshot; disposing unmounts and removes the view.</summary>
internal sealed class MountedView : IMountedView
{
    private readonly ISnapshotter _snapshotter;
    private readonly string _key;
    private readonly TemporaryMount _mount;

    public MountedView(ISnapshotter snapshotter, string key, TemporaryMount mount)
    {
        _snapshotter = snapshotter;
        _key = key;
        _mount = mount;
    }

    public string Path => _mount.Target;

    public async ValueTask DisposeAsync()
    {
        await _mount.DisposeAsync().ConfigureAwait(false);
        await _snapshotter.RemoveAsync(_key, CancellationToken.None).ConfigureAwait(false);
    }
}
