using Strata.Core;
using Strata.Images.Gc;
using Strata.Images.Metadata;

namespace Strata.Images.Removal;

/// <summary>
/// <c>rmi</c> of an index name, as docker's containerd store does it: a name the index shares
/// with others is only untagged; the last name (or the digest) removes the index and the
/// images of its present children that nothing else names (another tag, another index), then
/// every blob only they held. A child a container was made from needs <c>force</c>.
/// </summary>
internal static class IndexRemover
{
    public static async Task<RemovalReport> RemoveAsync(GarbageCollector gc, StoredIndex index, string nameOrId, bool force, CancellationToken cancellationToken)
    {
        var store = gc.Store;
        if (ImageReference.TryParse(nameOrId, out var name) && index.Tags.Contains(name) && index.Tags.Count > 1)
        {
            await store.Metadata.WriteAsync(async (c, ct) =>
            {
                await IndexTables.DeleteTagAsync(c, name, ct).ConfigureAwait(false);
                await store.WriteIndexAsync(c, ct).ConfigureAwait(false);
                return 0;
            }, cancellationToken).ConfigureAwait(false);
            return new RemovalReport([name.Familiar], [], 0);
        }
        if (index.Tags.Count > 1 && !force)
            throw new FailedPreconditionException($"conflict: unable to delete {index.Digest.ShortHex} (must be forced) - image is referenced in multiple repositories");

        var others = (await store.Indexes.ListAsync(cancellationToken).ConfigureAwait(false)).Where(i => i.Digest != index.Digest)
            .SelectMany(i => i.Children).Select(c => c.Manifest.Digest).ToHashSet();
        var containers = await store.Metadata.ListContainersAsync(cancellationToken).ConfigureAwait(false);
        var images = new List<StoredImage>();
        foreach (var child in index.Present.DistinctBy(c => c.ImageId))
        {
            var record = await store.Metadata.FindImageAsync(child.ImageId!.Value, cancellationToken).ConfigureAwait(false);
            if (record is null || others.Contains(record.ManifestDigest)) continue;
            var image = await store.ReadAsync(record, cancellationToken).ConfigureAwait(false);
            if (image.Tags.Count > 0) continue;
            if (containers.FirstOrDefault(c => c.ImageId == image.Id) is { } container && !force)
                throw new FailedPreconditionException($"conflict: unable to remove repository reference \"{nameOrId}\" (must force) - container {container.Id[..Math.Min(12, container.Id.Length)]} is using its referenced image {image.Id.ShortHex}");
            images.Add(image);
        }
        return await ImageRemover.DeleteImagesAsync(gc, images, index, cancellationToken).ConfigureAwait(false);
    }
}
