using Strata.Core;
using Strata.Core.Unix;

namespace Strata.Snapshots;

/// <summary>
/// Unpacks one layer into a new committed snapshot: prepare on the parent, mount at a temporary
/// directory, let the caller write into the mounted tree, unmount, commit. Applying through the
/// mount (rather than into the upper directory) is what makes the overlay snapshotter's layer
/// correct: deletions become whiteouts and replaced directories become opaque, by overlay itself.
/// The applying code (a tar applier, a file copy) is passed in because this room references
/// only Strata.Core.
/// </summary>
public static class SnapshotLayers
{
    /// <summary>Key prefix of the active snapshot a layer is unpacked into; the owner's token follows.</summary>
    public const string ExtractKeyPrefix = "extract-";

    /// <summary>
    /// Creates the committed snapshot <paramref name="name"/> on <paramref name="parent"/> with
    /// the changes <paramref name="apply"/> makes to the mounted tree (its first argument). On
    /// any failure the temporary active snapshot is unmounted and removed. A name that already
    /// exists fails before anything is applied.
    /// </summary>
    public static async Task ApplyAsync(
        ISnapshotter snapshotter, string name, string? parent, Func<string, CancellationToken, Task> apply,
        string? mountDirectory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshotter);
        ArgumentNullException.ThrowIfNull(apply);
        if (await snapshotter.StatAsync(name, cancellationToken).ConfigureAwait(false) is not null)
            throw new AlreadyExistsException($"snapshot {name} already exists");
        // The owner's token lets the next command remove what a killed process left (see OwnerProcess).
        string key = $"{ExtractKeyPrefix}{OwnerProcess.Current.Token}-{Guid.NewGuid():N} {name}";
        var mounts = await snapshotter.PrepareUnsyncedAsync(key, parent, cancellationToken).ConfigureAwait(false);
        try
        {
            var mount = await MountHelper.MountTemporaryAsync(mounts, mountDirectory, cancellationToken).ConfigureAwait(false);
            await using (mount.ConfigureAwait(false))
            {
                await apply(mount.Target, cancellationToken).ConfigureAwait(false);
            }
            await snapshotter.CommitAsync(name, key, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await snapshotter.RemoveAsync(key, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }
}
