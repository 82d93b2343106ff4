namespace Strata.Images.Gc;

/// <summary>
/// An owner that keeps data of its own in the store beside images (the build cache: its
/// tables in <c>metadata.db</c> and its directories), registered with the
/// <see cref="GarbageCollector"/> like an <see cref="IReferenceProvider"/>. Images cannot see
/// such data (it lives in rooms above), so <c>system prune</c> and <c>system check</c> reach it
/// through this.
/// </summary>
public interface IStorageOwner
{
    /// <summary>
    /// <c>system prune</c>'s part of the owner's data: what is unused (everything unused with
    /// <paramref name="all"/>), with the blobs only it held.
    /// </summary>
    Task<PruneReport> PruneAsync(bool all, CancellationToken cancellationToken);

    /// <summary>
    /// What crashed operations of the owner left behind and no running one holds (garbage for
    /// <c>system check</c>, removed by <c>--repair</c>), in a stable order.
    /// </summary>
    IReadOnlyList<StoreLeftover> Leftovers();
}
