using Strata.Core;
using Strata.Images.Leases;
using Strata.Images.Metadata;
using Strata.Images.Removal;

namespace Strata.Images.Gc;

/// <summary>
/// The store's one mark-and-sweep collector (containerd's <c>pkg/gc</c> is the model). Roots:
/// every recorded image (its manifest, config and layer blobs), every recorded index (its blob;
/// its present children are recorded images), what each registered
/// <see cref="IReferenceProvider"/> holds, what live leases hold, and the compressed variants
/// of every layer those reach. Everything else in
/// <c>blobs/</c> and the snapshotter is garbage. Marking happens inside the lease sweep (the
/// store's write transaction), so a running build, load or import cannot add a root meanwhile
/// (see <see cref="LeaseManager"/>).
/// </summary>
public sealed class GarbageCollector
{
    private readonly IReadOnlyList<IReferenceProvider> _providers;
    private readonly ISnapshotOwner? _snapshots;

    /// <param name="providers">Owners above the store (build cache, containers) that hold blobs or snapshots.</param>
    /// <param name="snapshots">The snapshotter's owner, or null when the store has none yet.</param>
    /// <param name="owners">Owners of data of their own in the store (the build cache), which <c>system prune</c> and <c>system check</c> cover.</param>
    public GarbageCollector(ImageStore store, IReadOnlyList<IReferenceProvider> providers, ISnapshotOwner? snapshots, IReadOnlyList<IStorageOwner>? owners = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(providers);
        Store = store;
        _providers = providers;
        _snapshots = snapshots;
        Owners = owners ?? [];
    }

    public ImageStore Store { get; }

    /// <summary>The registered owners of data of their own, in registration order.</summary>
    public IReadOnlyList<IStorageOwner> Owners { get; }

    /// <summary>
    /// What the reference providers alone hold (not images, not leases): for a removal that
    /// decides about images itself, inside its sweep (where reads join the sweep's transaction).
    /// </summary>
    public async Task<GcRoots> ProviderRootsAsync(CancellationToken cancellationToken)
    {
        var roots = GcRoots.Empty;
        foreach (var provider in _providers) roots = roots.Union(await provider.RootsAsync(cancellationToken).ConfigureAwait(false));
        return roots;
    }

    /// <summary>
    /// The roots: images' blobs and snapshots, what providers hold, and (when given) what
    /// leases hold. Call inside a sweep for a set a removal may rely on.
    /// </summary>
    public async Task<GcRoots> MarkAsync(LeasedResources? leased, CancellationToken cancellationToken)
    {
        var blobs = new HashSet<Digest>();
        foreach (var image in await Store.Metadata.ListImagesAsync(cancellationToken).ConfigureAwait(false))
        {
            blobs.Add(image.Id);
            blobs.Add(image.ManifestDigest);
            foreach (var layer in await Store.Metadata.ImageLayersAsync(image.Id, cancellationToken).ConfigureAwait(false)) blobs.Add(layer.Digest);
        }
        // An index holds its own blob; its present children are images, marked above with their blobs.
        foreach (var index in await Store.Indexes.ListAsync(cancellationToken).ConfigureAwait(false)) blobs.Add(index.Digest);
        var roots = new GcRoots(blobs, new HashSet<string>(StringComparer.Ordinal));
        if (_snapshots is not null) roots = roots.Union(await _snapshots.ImageRootsAsync(Store, cancellationToken).ConfigureAwait(false));
        roots = roots.Union(await ProviderRootsAsync(cancellationToken).ConfigureAwait(false));
        if (leased is not null) roots = roots.Union(new GcRoots(leased.Blobs, leased.Snapshots));
        // A compressed variant lives as long as its uncompressed layer does, whoever holds that.
        var variants = await LayerVariantTable.ListAsync(Store.Metadata, cancellationToken).ConfigureAwait(false);
        var kept = variants.Where(v => roots.Blobs.Contains(v.Digest)).Select(v => v.Variant).ToHashSet();
        if (kept.Count > 0) roots = roots.Union(new GcRoots(kept, new HashSet<string>(StringComparer.Ordinal)));
        return roots;
    }

    /// <summary>Blobs no root reaches, with their size and commit time (what <c>system check</c> reports as unused).</summary>
    public async Task<List<Content.ContentInfo>> UnreferencedBlobsAsync(CancellationToken cancellationToken)
    {
        var leased = await Store.Leases.ReadAsync(cancellationToken).ConfigureAwait(false);
        var roots = await MarkAsync(leased, cancellationToken).ConfigureAwait(false);
        var garbage = new List<Content.ContentInfo>();
        await foreach (var info in Store.Content.ListAsync(cancellationToken).ConfigureAwait(false))
            if (!roots.Blobs.Contains(info.Digest)) garbage.Add(info);
        return garbage;
    }

    /// <summary>
    /// Removes those of <paramref name="candidates"/> that no root reaches (marked again now) and
    /// their layer rows; corrupt blobs named in <paramref name="alsoRemove"/> go whatever holds
    /// them. Returns the removed digests.
    /// </summary>
    public Task<List<Digest>> SweepBlobsAsync(IEnumerable<Digest> candidates, IReadOnlySet<Digest> alsoRemove, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(alsoRemove);
        return Store.Leases.SweepAsync(async (c, leased, ct) =>
        {
            // Marked again inside the sweep: an image recorded or a blob leased since the
            // candidates were listed keeps its blobs.
            var roots = await MarkAsync(leased, ct).ConfigureAwait(false);
            var named = (await ImageRemover.ReferencedAsync(c, ct).ConfigureAwait(false)).Blobs;
            var removed = new List<Digest>();
            foreach (var digest in candidates.Where(d => alsoRemove.Contains(d) || (!roots.Blobs.Contains(d) && !named.Contains(d))))
            {
                await MetadataStore.DeleteLayerAsync(c, digest, ct).ConfigureAwait(false);
                if (await Store.Content.DeleteAsync(digest, ct).ConfigureAwait(false)) removed.Add(digest);
            }
            return removed;
        }, cancellationToken);
    }

    /// <summary>How many unpacked layers the snapshotter holds (0 when the store has none yet).</summary>
    public Task<int> CountUnpackedAsync(CancellationToken cancellationToken) =>
        _snapshots?.CountUnpackedAsync(cancellationToken) ?? Task.FromResult(0);

    /// <summary>Removes unmarked snapshots (active ones only once older than <paramref name="staleAfter"/>); returns how many.</summary>
    public Task<int> SweepSnapshotsAsync(TimeSpan staleAfter, CancellationToken cancellationToken)
    {
        if (_snapshots is not { } owner) return Task.FromResult(0);
        return Store.Leases.SweepAsync(async (leased, ct) =>
        {
            var roots = await MarkAsync(leased, ct).ConfigureAwait(false);
            return await owner.SweepAsync(roots.Snapshots, staleAfter, Store.Now, ct).ConfigureAwait(false);
        }, cancellationToken);
    }
}
