using Strata.Core;
using Strata.Core.Unix;
using Strata.Snapshots;

namespace Strata.Snapshots.Tests.Fixtures;

/// <summary>
/// A temporary snapshot root for one test, and every mount made through it. Disposing
/// unmounts what is still mounted (even after a failed assertion) before deleting the root, so
/// a failing test never deletes files through a live mount or leaves a mount behind.
/// </summary>
internal sealed class SnapshotRoot : IAsyncDisposable
{
    private readonly List<TemporaryMount> _mounts = [];
    private readonly TempDir _dir = new("strata-snap-");

    public string Path => _dir.Path;

    /// <summary>Mounts <paramref name="mounts"/> at a fresh directory inside the root; unmounted on dispose.</summary>
    public async Task<TemporaryMount> MountAsync(IReadOnlyList<MountSpec> mounts)
    {
        var mount = await MountHelper.MountTemporaryAsync(mounts, Path, CancellationToken.None);
        _mounts.Add(mount);
        return mount;
    }

    /// <summary>Directory inside the root for scratch trees (not snapshot-managed).</summary>
    public string NewDirectory(string name)
    {
        string dir = System.IO.Path.Combine(Path, "scratch", name);
        Directory.CreateDirectory(dir);
        return dir;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var mount in _mounts)
        {
            try
            {
                await mount.DisposeAsync();
            }
            catch (IOException)
            {
                // Detached below, whatever the reason it failed here.
            }
        }
        // Anything still mounted under the root (a mount a failing test made without the
        // tracker, or one whose unmount failed above) is detached before the recursive delete,
        // which would otherwise delete snapshot files through it.
        foreach (string target in TempDir.MountPointsUnder(Path).OrderByDescending(t => t.Length))
            Libc.Umount2(target, Libc.MntDetach);
        _dir.Dispose();
    }
}
