using Strata.Core;
using Strata.Images;
using Strata.Images.Transfer;
using Strata.Registry.Transport;

namespace Strata.Registry.Pull;

/// <summary>
/// <c>strata pull</c>: a <see cref="RegistrySource"/> into a <see cref="StoreSink"/>. The root
/// is resolved to one platform's manifest (<see cref="ImageCopier.ResolveAsync"/>), manifest and
/// config are validated, then the layers the store lacks are downloaded several at once (each
/// resumed with <c>Range</c> where its connection breaks, big ones as parallel ranges), each
/// verified (digest, size, diff ID) before it is recorded; the image is recorded last under the
/// reference's tag. Everything the pull brings is held by a lease, so a failed pull leaves
/// nothing behind and a concurrent prune cannot take blobs of an image not yet recorded.
/// </summary>
public static class ImagePuller
{
    public static async Task<PullResult> PullAsync(ImageStore store, RegistryClient client, ImageReference reference, PullOptions options, IPullProgress? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        if (options.MaxConcurrentDownloads < 1) throw new InvalidArgumentException($"max concurrent downloads must be at least 1, not {options.MaxConcurrentDownloads}");
        if (options.RangesPerLayer < 1) throw new InvalidArgumentException($"range requests per layer must be at least 1, not {options.RangesPerLayer}");
        var lease = store.Leases.Begin();
        try
        {
            var result = await PullCoreAsync(store, client, reference, options, progress, cancellationToken).ConfigureAwait(false);
            await lease.DisposeAsync().ConfigureAwait(false);
            return result;
        }
        catch
        {
            await lease.DiscardAsync(CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    private static async Task<PullResult> PullCoreAsync(ImageStore store, RegistryClient client, ImageReference reference, PullOptions options, IPullProgress? progress, CancellationToken cancellationToken)
    {
        // Scratch files of parallel ranges live in the registry room's directory of the store (the
        // store's file system, not a tmpfs), unlinked as soon as they are made.
        var ranges = new ParallelRanges(Path.Combine(store.Layout.Root, "registry", "downloads"), options.ParallelRangeThreshold, options.RangesPerLayer);
        var source = new RegistrySource(client, reference, ranges);
        await using (source.ConfigureAwait(false))
        {
            var root = (await source.ListAsync(cancellationToken).ConfigureAwait(false))[0];
            var manifest = await ImageCopier.ResolveAsync(source, root.Root, options.Platform, cancellationToken).ConfigureAwait(false)
                ?? throw new NotFoundException($"{reference}: no image for {options.Platform} in {root.Root.Digest} ({root.Root.MediaType})");
            var image = await ImageCopier.ReadAsync(source, manifest, cancellationToken).ConfigureAwait(false);
            progress?.Resolved(reference, root.Root, manifest);

            var before = await store.ResolveIdAsync(reference.ToString(), cancellationToken).ConfigureAwait(false);
            var sink = new StoreSink(store, reference.ToString());
            await using (sink.ConfigureAwait(false))
            {
                var diffIds = image.Config.RootFs.DiffIds;
                var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.MaxConcurrentDownloads, CancellationToken = cancellationToken };
                // The same blob twice in one manifest is fetched once (the sink remembers it).
                var layers = image.Manifest.Layers.Select((layer, i) => (Layer: layer, DiffId: diffIds[i])).DistinctBy(l => l.Layer.Digest).ToList();
                var present = new bool[layers.Count];
                for (int i = 0; i < layers.Count; i++)
                {
                    present[i] = await IsStoredAsync(store, layers[i].Layer.Digest, layers[i].DiffId, cancellationToken).ConfigureAwait(false);
                    if (present[i]) progress?.Layer(layers[i].Layer, LayerPullState.AlreadyExists);
                }
                await Parallel.ForEachAsync(Enumerable.Range(0, layers.Count), parallel, async (i, ct) =>
                {
                    var (layer, diffId) = layers[i];
                    if (!present[i]) progress?.Layer(layer, LayerPullState.PullingFsLayer);
                    await LayerDownload.WriteAsync(sink, source, layer, diffId, progress is null ? null : received => progress.Downloading(layer, received), ct).ConfigureAwait(false);
                    if (!present[i]) progress?.Layer(layer, LayerPullState.PullComplete);
                }).ConfigureAwait(false);
                await sink.WriteImageAsync(image, root.Names, cancellationToken).ConfigureAwait(false);
                await sink.CommitAsync(cancellationToken).ConfigureAwait(false);
                // Remembered for cross-repository mounts when this image is pushed elsewhere in the registry.
                await new BlobSources(store.Layout.Root).RecordAsync(reference, [.. image.Manifest.Layers.Select(l => l.Digest), image.Id], cancellationToken).ConfigureAwait(false);
                var stored = sink.Images[^1];
                return new PullResult(reference, root.Root.Digest, stored, Downloaded: before != stored.Id);
            }
        }
    }

    private static async Task<bool> IsStoredAsync(ImageStore store, Digest digest, DiffId diffId, CancellationToken cancellationToken) =>
        await store.Content.InfoAsync(digest, cancellationToken).ConfigureAwait(false) is not null
        && await store.Metadata.FindLayerAsync(digest, cancellationToken).ConfigureAwait(false) is { } known && known.DiffId == diffId;
}
