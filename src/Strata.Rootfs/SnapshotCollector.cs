using Strata.Images;
using Strata.Snapshots;

namespace Strata.Rootfs;

/// <summary>
/// Frees unpacked layers nothing needs: committed snapshots whose chain ID no image's layer
/// stack and no build cache record reaches (children first, since a parent with children cannot go), and active or view
/// snapshots a crashed build left behind (older than <paramref name="staleAfter"/>, so a
/// running build's snapshots are never touched).
/// </summary>
public static class SnapshotCollector
{
    public static async Task<int> CollectAsync(ImageStore store, ISnapshotter snapshotter, TimeSpan staleAfter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(snapshotter);
        var wanted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var image in await store.ListAsync(cancellationToken).ConfigureAwait(false))
            foreach (var chain in image.ChainIds) wanted.Add(SnapshotWorkspace.NameOf(chain));

        // A build cache record keeps its step's snapshot (a hit whose snapshot is gone unpacks it again, slower).
        foreach (var entry in await Images.Views.BuildCacheUsage.ListAsync(store, cancellationToken).ConfigureAwait(false))
            if (entry.Snapshot is { } cached) wanted.Add(cached);

        // A container's writable layer is an active snapshot that lives as long as the container.
        foreach (var container in await store.Metadata.ListContainersAsync(cancellationToken).ConfigureAwait(false))
            wanted.Add($"container-{container.Id}");

        var all = new List<SnapshotInfo>();
        await foreach (var info in snapshotter.ListAsync(cancellationToken).ConfigureAwait(false)) all.Add(info);
        var now = store.Now;
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
                bool stale = info.Kind != SnapshotKind.Committed && now - info.Created > staleAfter && !wanted.Contains(info.Key);
                bool unused = info.Kind == SnapshotKind.Committed && !wanted.Contains(info.Key);
                if (!stale && !unused) continue;
                if (all.Any(c => !gone.Contains(c.Key) && c.Parent == info.Key)) continue;
                await snapshotter.RemoveAsync(info.Key, cancellationToken).ConfigureAwait(false);
                gone.Add(info.Key);
                removed++;
                progress = true;
            }
        }
        return removed;
    }
}
