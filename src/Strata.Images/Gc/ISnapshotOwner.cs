namespace Strata.Images.Gc;

/// <summary>
/// The owner of the store's snapshotter (unpacked layers and writable layers). The collector
/// decides what is marked; the owner knows how its snapshots are named and stacked, so it does
/// the sweeping: unmarked committed snapshots (children first) and active ones older than a limit.
/// </summary>
public interface ISnapshotOwner
{
    /// <summary>
    /// The snapshots images need (named after their layer stacks, which only the owner knows how).
    /// </summary>
    Task<GcRoots> ImageRootsAsync(ImageStore store, CancellationToken cancellationToken);

    /// <summary>How many unpacked layers (committed snapshots) the snapshotter holds.</summary>
    Task<int> CountUnpackedAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Removes every snapshot not in <paramref name="marked"/>: committed ones with no remaining
    /// child, active ones older than <paramref name="staleAfter"/>. A busy snapshot is skipped.
    /// Runs inside the collector's lease sweep: it must not write to <c>metadata.db</c>.
    /// Returns how many snapshots went.
    /// </summary>
    Task<int> SweepAsync(IReadOnlySet<string> marked, TimeSpan staleAfter, DateTimeOffset now, CancellationToken cancellationToken);
}
