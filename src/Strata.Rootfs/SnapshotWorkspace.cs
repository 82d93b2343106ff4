using Strata.Archive;
using Strata.Core;
using Strata.Core.Unix;
using Strata.Images;
using Strata.Images.Layers;
using Strata.Oci;
using Strata.Snapshots;

namespace Strata.Rootfs;

/// <summary>
/// <see cref="ILayerWorkspace"/> over an <see cref="ISnapshotter"/>: committed snapshots are
/// named by the chain ID of the layer stack they hold, so a base layer is unpacked once for
/// every image and build that uses it, and a step that reproduces an existing stack reuses it.
/// </summary>
public sealed class SnapshotWorkspace : ILayerWorkspace
{
    /// <summary>Key prefix of a step's writable snapshot; the owner's token follows.</summary>
    public const string StepKeyPrefix = "build-";

    /// <summary>Key prefix of a read-only view; the owner's token follows.</summary>
    public const string ViewKeyPrefix = "view-";

    private readonly ImageStore _store;
    private readonly ISnapshotter _snapshotter;
    private readonly string _mountDirectory;

    public SnapshotWorkspace(ImageStore store, ISnapshotter snapshotter)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        _snapshotter = snapshotter;
        // Not under tmp/: system prune clears old scratch there, and these are live mounts. One
        // directory per process, and its token in every key: what a killed process left is
        // told apart from what live ones use (Build/Leftovers).
        _mountDirectory = MountDirectoryOf(store.Layout.Root, OwnerProcess.Current);
    }

    /// <summary>Where <paramref name="owner"/> mounts step roots, views and layers being unpacked: <c>&lt;store&gt;/runtime/mounts/TOKEN</c>.</summary>
    public static string MountDirectoryOf(string storeRoot, OwnerProcess owner) => Path.Combine(storeRoot, "runtime", "mounts", owner.Token);

    /// <summary>The snapshotter the store uses: overlay where the kernel allows it, else copies.</summary>
    public static SnapshotWorkspace Open(ImageStore store, string preferred = "auto")
    {
        ArgumentNullException.ThrowIfNull(store);
        var snapshotter = SnapshotterFactory.Create(store.Layout.Snapshotter, preferred);
        return new SnapshotWorkspace(store, snapshotter);
    }

    public ISnapshotter Snapshotter => _snapshotter;

    public static string NameOf(ChainId chain) => chain.Digest.Encoded;

    public async Task<string?> EnsureUnpackedAsync(StoredImage image, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        string? parent = null;
        var chains = image.ChainIds;
        for (int i = 0; i < chains.Count; i++)
        {
            var name = NameOf(chains[i]);
            // Leased before it is looked at (see LeaseManager): a prune meanwhile either removed
            // it already (it is unpacked again) or keeps it for this build.
            await _store.Leases.AddSnapshotAsync(name, cancellationToken).ConfigureAwait(false);
            if (await _snapshotter.StatAsync(name, cancellationToken).ConfigureAwait(false) is null)
            {
                var layer = image.Manifest.Layers[i];
                var diffId = image.Config.RootFs.DiffIds[i];
                try
                {
                    await SnapshotLayers.ApplyAsync(_snapshotter, name, parent, async (target, ct) =>
                    {
                        await using var blob = await _store.Content.OpenReadAsync(layer.Digest, ct).ConfigureAwait(false);
                        await LayerApplier.ApplyAsync(blob, target, new LayerApplyOptions { LayerName = layer.Digest.ToString(), ExpectedDiffId = diffId }, ct).ConfigureAwait(false);
                    }, OwnedMountDirectory(), cancellationToken).ConfigureAwait(false);
                }
                catch (AlreadyExistsException)
                {
                    // Another build unpacked the same layer meanwhile: theirs is as good as ours.
                }
            }
            parent = name;
        }
        return parent;
    }

    public async Task<IStepRootfs> PrepareAsync(string? parentSnapshot, IReadOnlyList<DiffId> parentDiffIds, CancellationToken cancellationToken)
    {
        var key = $"{StepKeyPrefix}{OwnerProcess.Current.Token}-{Guid.NewGuid():N}";
        await _store.Leases.AddSnapshotAsync(key, cancellationToken).ConfigureAwait(false);
        var mountDirectory = OwnedMountDirectory();
        var mounts = await _snapshotter.PrepareUnsyncedAsync(key, parentSnapshot, cancellationToken).ConfigureAwait(false);
        try
        {
            var mount = await MountHelper.MountTemporaryAsync(mounts, mountDirectory, cancellationToken).ConfigureAwait(false);
            return new StepRootfs(this, key, parentSnapshot, parentDiffIds, mount);
        }
        catch
        {
            await _snapshotter.RemoveAsync(key, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    public async Task<IMountedView> ViewAsync(string? snapshot, CancellationToken cancellationToken)
    {
        var key = $"{ViewKeyPrefix}{OwnerProcess.Current.Token}-{Guid.NewGuid():N}";
        await _store.Leases.AddSnapshotAsync(key, cancellationToken).ConfigureAwait(false);
        var mountDirectory = OwnedMountDirectory();
        var mounts = await _snapshotter.ViewAsync(key, snapshot, cancellationToken).ConfigureAwait(false);
        try
        {
            var mount = await MountHelper.MountTemporaryAsync(mounts, mountDirectory, cancellationToken).ConfigureAwait(false);
            return new MountedView(_snapshotter, key, mount);
        }
        catch
        {
            await _snapshotter.RemoveAsync(key, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    public async Task<string> StackAsync(string? parentSnapshot, IReadOnlyList<DiffId> parentDiffIds, Images.Metadata.LayerRecord layer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(layer);
        var name = NameOf(ChainId.Compute([.. parentDiffIds, layer.DiffId]));
        await _store.Leases.AddSnapshotAsync(name, cancellationToken).ConfigureAwait(false);
        if (await _snapshotter.StatAsync(name, cancellationToken).ConfigureAwait(false) is not null) return name;
        try
        {
            await SnapshotLayers.ApplyAsync(_snapshotter, name, parentSnapshot, async (target, ct) =>
            {
                await using var blob = await _store.Content.OpenReadAsync(layer.Digest, ct).ConfigureAwait(false);
                await LayerApplier.ApplyAsync(blob, target, new LayerApplyOptions { LayerName = layer.Digest.ToString(), ExpectedDiffId = layer.DiffId }, ct).ConfigureAwait(false);
            }, OwnedMountDirectory(), cancellationToken).ConfigureAwait(false);
        }
        catch (AlreadyExistsException)
        {
            // Another build stacked (or unpacked for a cache hit) the same layers meanwhile.
        }
        return name;
    }

    /// <summary>
    /// Turns an active snapshot into a layer and commits it under its chain ID; null when nothing
    /// changed (unless <paramref name="keepEmpty"/>). <paramref name="unmounted"/> completes when
    /// the step's mount is gone: an overlay upper dir is read while it completes, the snapshot is
    /// committed or removed only after.
    /// </summary>
    internal async Task<CommittedLayer?> CommitAsync(string key, string? parent, IReadOnlyList<DiffId> parentDiffIds, LayerWriteOptions options, bool keepEmpty,
        Task unmounted, CancellationToken cancellationToken)
    {
        var upper = _snapshotter.UpperDirectory(key);
        Images.Metadata.LayerRecord layer;
        if (_snapshotter.UpperDirectoryIsDiff)
        {
            if (!keepEmpty && !Directory.EnumerateFileSystemEntries(upper).Any())
            {
                await unmounted.ConfigureAwait(false);
                await _snapshotter.RemoveAsync(key, cancellationToken).ConfigureAwait(false);
                return null;
            }
            layer = await LayerIngest.WriteAsync(_store, (dest, ct) => LayerWriter.WriteOverlayUpperAsync(upper, dest, options, ct), null, cancellationToken).ConfigureAwait(false);
            await unmounted.ConfigureAwait(false);
        }
        else
        {
            await unmounted.ConfigureAwait(false);
            // The copy snapshotter keeps whole trees: the layer is the difference from the parent.
            await using var parentView = await ViewAsync(parent, cancellationToken).ConfigureAwait(false);
            layer = await LayerIngest.WriteAsync(_store, (dest, ct) => LayerWriter.WriteDiffAsync(parentView.Path, upper, dest, options, ct), null, cancellationToken).ConfigureAwait(false);
            if (!keepEmpty && layer.ContentSize == 0 && await IsEmptyLayerAsync(layer, cancellationToken).ConfigureAwait(false))
            {
                await _snapshotter.RemoveAsync(key, cancellationToken).ConfigureAwait(false);
                return null;
            }
        }
        var name = NameOf(ChainId.Compute([.. parentDiffIds, layer.DiffId]));
        await _store.Leases.AddSnapshotAsync(name, cancellationToken).ConfigureAwait(false);
        if (await _snapshotter.StatAsync(name, cancellationToken).ConfigureAwait(false) is not null)
        {
            await _snapshotter.RemoveAsync(key, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            try
            {
                await _snapshotter.CommitAsync(name, key, cancellationToken).ConfigureAwait(false);
            }
            catch (AlreadyExistsException)
            {
                await _snapshotter.RemoveAsync(key, cancellationToken).ConfigureAwait(false);
            }
        }
        return new CommittedLayer(layer, name);
    }

    private async Task<bool> IsEmptyLayerAsync(Images.Metadata.LayerRecord layer, CancellationToken cancellationToken)
    {
        await using var blob = await _store.Content.OpenReadAsync(layer.Digest, cancellationToken).ConfigureAwait(false);
        await foreach (var _ in LayerReader.ReadEntriesAsync(LayerCompressionDetector.OpenDecompressed(blob), LayerReadOptions.Default, cancellationToken).ConfigureAwait(false))
            return false;
        return true;
    }

    internal Task RemoveAsync(string key) => _snapshotter.RemoveAsync(key, CancellationToken.None);

    /// <summary>This process's mount directory, made before any snapshot of its own: a killed process's directory leads the next command to what it left.</summary>
    private string OwnedMountDirectory()
    {
        Directory.CreateDirectory(_mountDirectory);
        return _mountDirectory;
    }
}
