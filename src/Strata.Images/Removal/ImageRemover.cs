using Microsoft.Data.Sqlite;
using Strata.Core;
using Strata.Images.Gc;
using Strata.Images.Metadata;
using Strata.Oci;

namespace Strata.Images.Removal;

/// <summary>
/// <c>rmi</c>, <c>image prune</c>: untag and delete images with docker's rules, then free the
/// blobs and unpacked layers nothing else references. Removing an image a container was made
/// from needs <c>force</c>. A blob a reference provider of the collector holds (a build cache
/// record's layer: rmi leaves it to builder prune, docker's split, so a rebuild after rmi still
/// hits) is never freed here.
/// </summary>
public static class ImageRemover
{
    /// <summary>As below, for a store no room above holds anything in.</summary>
    public static Task<RemovalReport> RemoveAsync(ImageStore store, string nameOrId, bool force, CancellationToken cancellationToken) =>
        RemoveAsync(new GarbageCollector(store, [], null), nameOrId, force, cancellationToken);

    public static async Task<RemovalReport> RemoveAsync(GarbageCollector gc, string nameOrId, bool force, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(gc);
        ArgumentNullException.ThrowIfNull(nameOrId);
        var store = gc.Store;
        // A name of an index removes the index (and what only it held), not its host platform's image.
        if (await store.ResolveImageIdAsync(nameOrId, cancellationToken).ConfigureAwait(false) is null
            && await store.Indexes.TryFindAsync(nameOrId, cancellationToken).ConfigureAwait(false) is { } index)
            return await IndexRemover.RemoveAsync(gc, index, nameOrId, force, cancellationToken).ConfigureAwait(false);
        var image = await store.GetAsync(nameOrId, cancellationToken).ConfigureAwait(false);
        var containers = (await store.Metadata.ListContainersAsync(cancellationToken).ConfigureAwait(false)).Where(c => c.ImageId == image.Id).ToList();
        bool byName = !IsIdReference(nameOrId, image) && ImageReference.TryParse(nameOrId, out var named) && image.Tags.Contains(named);

        if (byName)
        {
            var name = ImageReference.Parse(nameOrId);
            if (image.Tags.Count > 1)
            {
                await UntagAsync(store, name, cancellationToken).ConfigureAwait(false);
                return new RemovalReport([name.Familiar], [], 0);
            }
            if (containers.Count > 0 && !force)
                throw new FailedPreconditionException($"conflict: unable to remove repository reference \"{nameOrId}\" (must force) - container {containers[0].Id[..Math.Min(12, containers[0].Id.Length)]} is using its referenced image {image.Id.ShortHex}");
        }
        else
        {
            if (image.Tags.Count > 1 && !force)
                throw new FailedPreconditionException($"conflict: unable to delete {image.Id.ShortHex} (must be forced) - image is referenced in multiple repositories");
            if (containers.Count > 0 && !force)
                throw new FailedPreconditionException($"conflict: unable to delete {image.Id.ShortHex} (must be forced) - image is being used by stopped container {containers[0].Id[..Math.Min(12, containers[0].Id.Length)]}");
        }
        return await DeleteImagesAsync(gc, [image], cancellationToken).ConfigureAwait(false);
    }

    /// <summary>As below, for a store no room above holds anything in.</summary>
    public static Task<RemovalReport> PruneAsync(ImageStore store, bool all, CancellationToken cancellationToken) =>
        PruneAsync(new GarbageCollector(store, [], null), all, cancellationToken);

    /// <summary><c>image prune</c>: dangling (untagged) images, or with <paramref name="all"/> every image no container uses.</summary>
    public static async Task<RemovalReport> PruneAsync(GarbageCollector gc, bool all, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(gc);
        var store = gc.Store;
        var images = await store.ListAsync(cancellationToken).ConfigureAwait(false);
        var used = (await store.Metadata.ListContainersAsync(cancellationToken).ConfigureAwait(false)).Select(c => c.ImageId).ToHashSet();
        // An index's present children are reached through its name: never dangling (rmi of the index removes them).
        var children = await store.Indexes.ChildManifestsAsync(cancellationToken).ConfigureAwait(false);
        var victims = images.Where(i => !used.Contains(i.Id) && !children.Contains(i.Record.ManifestDigest) && (all || i.Tags.Count == 0)).ToList();
        return victims.Count == 0 ? RemovalReport.Empty : await DeleteImagesAsync(gc, victims, cancellationToken).ConfigureAwait(false);
    }

    private static bool IsIdReference(string text, StoredImage image) =>
        text == image.Id.Value || (text.Length <= 64 && image.Id.Encoded.StartsWith(text.StartsWith("sha256:", StringComparison.Ordinal) ? text[7..] : text, StringComparison.Ordinal)
            && !image.Tags.Any(t => t.Familiar == text || t.Familiar == text + ":latest"));

    private static Task UntagAsync(ImageStore store, ImageReference name, CancellationToken cancellationToken) =>
        store.Metadata.WriteAsync(async (c, ct) =>
        {
            await MetadataStore.DeleteTagAsync(c, name, ct).ConfigureAwait(false);
            await store.WriteIndexAsync(c, ct).ConfigureAwait(false);
            return 0;
        }, cancellationToken);

    /// <summary>Deletes the images' records and names, then every blob only they used (their unpacked layers go with the collector's snapshot sweep).</summary>
    internal static Task<RemovalReport> DeleteImagesAsync(GarbageCollector gc, IReadOnlyList<StoredImage> images, CancellationToken cancellationToken) =>
        DeleteImagesAsync(gc, images, null, cancellationToken);

    /// <param name="index">An index removed with <paramref name="images"/> (its present children): its rows go first, its blob is a candidate too.</param>
    internal static async Task<RemovalReport> DeleteImagesAsync(GarbageCollector gc, IReadOnlyList<StoredImage> images, StoredIndex? index, CancellationToken cancellationToken)
    {
        var store = gc.Store;
        var untagged = images.SelectMany(i => i.Tags).Concat(index?.Tags ?? []).Select(t => t.Familiar).ToList();
        var deleted = new List<string>();
        long reclaimed = 0;
        // Decided and removed inside the lease sweep: blobs a running build, load or commit holds
        // (a base image being removed under a build) stay for it.
        var freed = await store.Leases.SweepAsync(async (c, leased, ct) =>
        {
            if (index is not null) await IndexTables.DeleteIndexAsync(c, index.Digest, ct).ConfigureAwait(false);
            foreach (var image in images) await MetadataStore.DeleteImageAsync(c, image.Id, ct).ConfigureAwait(false);
            var referenced = await ReferencedAsync(c, ct).ConfigureAwait(false);
            referenced.Blobs.UnionWith(leased.Blobs);
            // Read inside the sweep (the providers' reads join its transaction): nothing can change what they hold meanwhile.
            referenced.Blobs.UnionWith((await gc.ProviderRootsAsync(ct).ConfigureAwait(false)).Blobs);
            var candidates = images.SelectMany(i => (IEnumerable<Digest>)[i.Record.ManifestDigest, i.Manifest.Config.Digest, .. i.Manifest.Layers.Select(l => l.Digest)])
                .Concat(index is null ? [] : [index.Digest]).Distinct();
            var blobs = candidates.Where(d => !referenced.Blobs.Contains(d)).ToList();
            // A freed layer's compressed variants go with it (their rows go with DeleteLayerAsync).
            var freedLayers = blobs.ToHashSet();
            blobs.AddRange((await LayerVariantTable.ListAsync(c, ct).ConfigureAwait(false))
                .Where(v => freedLayers.Contains(v.Digest) && !referenced.Blobs.Contains(v.Variant)).Select(v => v.Variant).Distinct());
            long bytes = 0;
            foreach (var blob in blobs)
            {
                await MetadataStore.DeleteLayerAsync(c, blob, ct).ConfigureAwait(false);
                var info = await store.Content.InfoAsync(blob, ct).ConfigureAwait(false);
                if (await store.Content.DeleteAsync(blob, ct).ConfigureAwait(false)) bytes += info?.Size ?? 0;
            }
            await store.WriteIndexAsync(c, ct).ConfigureAwait(false);
            return bytes;
        }, cancellationToken).ConfigureAwait(false);

        if (index is not null) deleted.Add(index.Digest.Value);
        deleted.AddRange(images.Select(i => i.Id.Value));
        reclaimed += freed;
        return new RemovalReport(untagged, deleted, reclaimed);
    }

    /// <summary>Blobs and chain IDs the remaining images still need (what owners above hold, the collector's providers say).</summary>
    internal static async Task<(HashSet<Digest> Blobs, HashSet<Digest> Chains)> ReferencedAsync(SqliteConnection c, CancellationToken cancellationToken)
    {
        var blobs = new HashSet<Digest>();
        var chains = new HashSet<Digest>();
        var images = await MetadataStore.QueryAsync(c, "SELECT id, manifest_digest FROM images", r => (Id: Digest.Parse(r.GetString(0)), Manifest: Digest.Parse(r.GetString(1))), cancellationToken).ConfigureAwait(false);
        foreach (var image in images)
        {
            blobs.Add(image.Id);
            blobs.Add(image.Manifest);
        }
        foreach (var index in await IndexTables.ListAsync(c, cancellationToken).ConfigureAwait(false)) blobs.Add(index.Digest);
        var layers = await MetadataStore.QueryAsync(c, "SELECT il.image_id, il.digest, l.diff_id FROM image_layers il JOIN layers l ON l.digest = il.digest ORDER BY il.image_id, il.position",
            r => (Image: r.GetString(0), Digest: Digest.Parse(r.GetString(1)), DiffId: DiffId.Parse(r.GetString(2))), cancellationToken).ConfigureAwait(false);
        foreach (var group in layers.GroupBy(l => l.Image))
        {
            foreach (var l in group) blobs.Add(l.Digest);
            foreach (var chain in ChainId.ComputeAll([.. group.Select(l => l.DiffId)])) chains.Add(chain.Digest);
        }
        return (blobs, chains);
    }
}
