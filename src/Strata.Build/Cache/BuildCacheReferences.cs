using Strata.Core;
using Strata.Images;
using Strata.Images.Gc;
using Strata.Build.Cache.Usage;

namespace Strata.Build.Cache;

/// <summary>
/// The build cache's roots for the store's collector: each record keeps its layer blob and its
/// step's snapshot (builder prune is what frees them, never rmi or the collector).
/// </summary>
public sealed class BuildCacheReferences : IReferenceProvider
{
    private readonly ImageStore _store;

    public BuildCacheReferences(ImageStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
    }

    public async Task<GcRoots> RootsAsync(CancellationToken cancellationToken)
    {
        var blobs = new HashSet<Digest>();
        var snapshots = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in await BuildCacheUsage.ListAsync(_store, cancellationToken).ConfigureAwait(false))
        {
            if (entry.Layer is { } layer) blobs.Add(layer);
            if (entry.Snapshot is { } snapshot) snapshots.Add(snapshot);
        }
        return new GcRoots(blobs, snapshots);
    }
}
