using Strata.Images;
using Strata.Images.Gc;

namespace Strata.Containers;

/// <summary>
/// The containers' roots for the store's collector: a container's writable layer is an active
/// snapshot (<c>container-ID</c>) that lives as long as the container (its image's layers stay
/// as its parents; the image itself is kept by image prune's rule that a used image stays).
/// </summary>
public sealed class ContainerReferences : IReferenceProvider
{
    private readonly ImageStore _store;

    public ContainerReferences(ImageStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
    }

    public async Task<GcRoots> RootsAsync(CancellationToken cancellationToken)
    {
        var snapshots = new HashSet<string>(StringComparer.Ordinal);
        foreach (var container in await _store.Metadata.ListContainersAsync(cancellationToken).ConfigureAwait(false))
            snapshots.Add($"container-{container.Id}");
        return GcRoots.Empty with { Snapshots = snapshots };
    }
}
