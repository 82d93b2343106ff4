using Strata.Core;
using Strata.Images;
using Strata.Images.Gc;
using Strata.Snapshots;

namespace Strata.Rootfs;

/// <summary>
/// The snapshotter's owner for the store's <see cref="GarbageCollector"/>: committed snapshots
/// are named after the chain ID of the layer stack they hold (<see cref="SnapshotWorkspace.NameOf"/>),
/// so an image keeps the snapshots of its chain; the collector marks the rest (cache records,
/// containers, leases) and this removes what is unmarked: committed snapshots children first
/// (a parent with children cannot go), active or view snapshots a crashed build left behind
/// once older than the limit. A snapshot that is busy (a child prepared on it meanwhile) is skipped.
/// </summary>
public sealed class SnapshotCollector : ISnapshotOwner
{
    private readonly ISnapshotter _snapshotter;

    public SnapshotCollector(ISnapshotter snapshotter)
    {
        ArgumentNullException.ThrowIfNull(snapshotter);
        _snapshotter = snapshotter;
    }

    public async Task<GcRoots> ImageRootsAsync(ImageStore store, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var wanted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var image in await store.ListAsync(cancellationToken).ConfigureAwait(false))
            foreach (var chain in image.ChainIds) wanted.Add(SnapshotWorkspace.NameOf(chain));
        return GcRoots.Empty with { Snapshots = wanted };
    }

    public async Task<int> CountUnpackedAsync(CancellationToken cancellationToken)
    {
        int count = 0;
        await foreach (var info in _snapshotter.ListAsync(cancellationToken).ConfigureAwait(false))
            if (info.Kind == SnapshotKind.Committed) count++;
        return count;
    }

    public async Task<int> SweepAsync(IReadOnlySet<string> marked, TimeSpan staleAfter, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(marked);
        var all = new List<SnapshotInfo>();
        await foreach (var info in _snapshotter.ListAsync(cancellationToken).ConfigureAwait(false)) all.Add(info);
        int removed = 0;
        // Remove leaves first: repeat until a pass removes nothing.
        bool progress = true;
        var gone = new HashSet<string>(StringComparer.Ordinal);
        while (progress)
        {
            progress = false;
            foreach (var info in all)
            {
                if (gone.Contains(info.Key)) continue;
                bool stale = info.Kind != SnapshotKind.Committed && now - info.Created > staleAfter && !marked.Contains(info.Key);
                bool unused = info.Kind == SnapshotKind.Committed && !marked.Contains(info.Key);
                if (!stale && !unused) continue;
                if (all.Any(c => !gone.Contains(c.Key) && c.Parent == info.Key)) continue;
                gone.Add(info.Key);
                try
                {
                    await _snapshotter.RemoveAsync(info.Key, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is FailedPreconditionException or NotFoundException)
                {
                    continue;
                }
                removed++;
                progress = true;
            }
        }
        return removed;
    }
}
