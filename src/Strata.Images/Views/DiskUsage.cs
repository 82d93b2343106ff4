using Strata.Core;

namespace Strata.Images.Views;

/// <summary>
/// The store's part of <c>system df</c>, as docker computes it: an image's SIZE is the content of
/// all its layers; SHARED SIZE the part in layers that another image also uses; the images total
/// counts every layer once, so shared layers are not double counted. The build cache's part is
/// its owner's (Strata.Build's <c>SystemDiskUsage</c> puts the two together).
/// </summary>
public static class DiskUsage
{
    public static async Task<StoreDiskUsage> ComputeAsync(ImageStore store, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var images = await store.ListAsync(cancellationToken).ConfigureAwait(false);
        var containers = await store.Metadata.ListContainersAsync(cancellationToken).ConfigureAwait(false);
        var users = new Dictionary<Digest, int>();
        foreach (var image in images)
            foreach (var layer in image.Layers.DistinctBy(l => l.Digest))
                users[layer.Digest] = users.GetValueOrDefault(layer.Digest) + 1;

        var rows = new List<ImageUsage>();
        foreach (var image in images)
        {
            long shared = image.Layers.DistinctBy(l => l.Digest).Where(l => users[l.Digest] > 1).Sum(l => l.ContentSize);
            long size = image.Record.Size;
            int used = containers.Count(c => c.ImageId == image.Id);
            if (image.Tags.Count == 0)
            {
                rows.Add(new ImageUsage(image.Id.Value, "<none>", "<none>", image.Config.Created, size, shared, size - shared, used));
                continue;
            }
            foreach (var tag in image.Tags)
                rows.Add(new ImageUsage(image.Id.Value, tag.FamiliarRepository, tag.Tag ?? "<none>", image.Config.Created, size, shared, size - shared, used));
        }

        var allLayers = images.SelectMany(i => i.Layers).DistinctBy(l => l.Digest).ToList();
        var activeIds = containers.Select(c => c.ImageId).ToHashSet();
        var activeLayers = images.Where(i => activeIds.Contains(i.Id)).SelectMany(i => i.Layers).Select(l => l.Digest).ToHashSet();
        long total = allLayers.Sum(l => l.ContentSize);
        long reclaimable = allLayers.Where(l => !activeLayers.Contains(l.Digest)).Sum(l => l.ContentSize);

        long blobBytes = 0;
        await foreach (var blob in store.Content.ListAsync(cancellationToken).ConfigureAwait(false)) blobBytes += blob.Size;

        var containerRows = containers.Select(c => new ContainerUsage(c.Id, c.ImageId.ShortHex, c.Name, c.CreatedAt, c.State, 0)).ToList();
        return new StoreDiskUsage(rows, total, reclaimable, images.Count(i => activeIds.Contains(i.Id)), containerRows, blobBytes);
    }
}
