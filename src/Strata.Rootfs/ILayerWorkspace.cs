using Strata.Core;
using Strata.Images;

namespace Strata.Rootfs;

/// <summary>
/// Root filesystems for build steps and containers, over the snapshotter: base images unpacked once per
/// layer chain and shared, a writable root per step, read-only views for COPY --from, and the
/// step's changes turned into a layer blob in the store.
/// </summary>
public interface ILayerWorkspace
{
    /// <summary>Unpacks every missing layer of <paramref name="image"/>; returns the snapshot of its whole stack (null when it has no layers).</summary>
    Task<string?> EnsureUnpackedAsync(StoredImage image, CancellationToken cancellationToken);

    /// <summary>A writable root filesystem over <paramref name="parentSnapshot"/> (null: empty). Disposing without commit discards it.</summary>
    Task<IStepRootfs> PrepareAsync(string? parentSnapshot, IReadOnlyList<DiffId> parentDiffIds, CancellationToken cancellationToken);

    /// <summary>A read-only view of a snapshot (null: an empty directory). Disposing unmounts it.</summary>
    Task<IMountedView> ViewAsync(string? snapshot, CancellationToken cancellationToken);

    /// <summary>
    /// The snapshot of <paramref name="layer"/> (a stored blob made on its own, as by COPY --link,
    /// or a cache hit whose snapshot is gone) stacked on <paramref name="parentSnapshot"/>:
    /// unpacked once, named by the stack's chain ID.
    /// </summary>
    Task<string> StackAsync(string? parentSnapshot, IReadOnlyList<DiffId> parentDiffIds, Images.Metadata.LayerRecord layer, CancellationToken cancellationToken);
}
