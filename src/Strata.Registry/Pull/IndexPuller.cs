using Strata.Core;
using Strata.Images;
using Strata.Images.Transfer;
using Strata.Registry.Transport;

namespace Strata.Registry.Pull;

/// <summary>
/// <c>strata pull --all-platforms</c>: a reference that names an index is kept as that index,
/// byte for byte, with every platform's image it lists (attestation manifests of platform
/// <c>unknown/unknown</c> are left out, as docker leaves them); the name then points at the
/// index, as in docker's containerd store. A reference that names one manifest pulls as
/// <see cref="ImagePuller"/> does. Each child's layers the store lacks are downloaded several
/// at once and verified before they are recorded; one lease holds everything, so a failure
/// leaves nothing behind.
/// </summary>
public static class IndexPuller
{
    public static async Task<PullResult> PullAsync(ImageStore store, RegistryClient client, ImageReference reference, PullOptions options, IPullProgress? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        if (options.MaxConcurrentDownloads < 1) throw new InvalidArgumentException($"max concurrent downloads must be at least 1, not {options.MaxConcurrentDownloads}");
        var source = new RegistrySource(client, reference);
        await using (source.ConfigureAwait(false))
        {
            var root = (await source.ListAsync(cancellationToken).ConfigureAwait(false))[0];
            if (!MediaTypes.IsIndex(root.Root.MediaType))
                return await ImagePuller.PullAsync(store, client, reference, options, progress, cancellationToken).ConfigureAwait(false);
            var lease = store.Leases.Begin();
            try
            {
                var result = await PullIndexAsync(store, source, reference, root, options, progress, cancellationToken).ConfigureAwait(false);
                await lease.DisposeAsync().ConfigureAwait(false);
                return result;
            }
            catch
            {
                await lease.DiscardAsync(CancellationToken.None).ConfigureAwait(false);
                throw;
            }
        }
    }

    private static async Task<PullResult> PullIndexAsync(ImageStore store, RegistrySource source, ImageReference reference, SourceImage root, PullOptions options, IPullProgress? progress, CancellationToken cancellationToken)
    {
        var bytes = await source.ReadDocumentAsync(root.Root, cancellationToken).ConfigureAwait(false);
        var index = IndexDocument.Parse(root.Root, bytes, source.Name);
        var children = index.Children.Where(c => PlatformSelection.All.Wants(c.Platform)).DistinctBy(c => c.Digest).ToList();
        if (children.Count == 0) throw new NotFoundException($"{reference}: index {root.Root.Digest} lists no platform's image");
        var before = await store.Indexes.TryFindAsync(reference.ToString(), cancellationToken).ConfigureAwait(false);
        var sink = new StoreSink(store, reference.ToString());
        await using (sink.ConfigureAwait(false))
        {
            var blobs = new List<Digest>();
            foreach (var child in children)
            {
                var image = await ImageCopier.ReadAsync(source, child, cancellationToken).ConfigureAwait(false);
                if (child == children[0]) progress?.Resolved(reference, root.Root, child);
                await DownloadLayersAsync(store, source, sink, image, options, progress, cancellationToken).ConfigureAwait(false);
                await sink.WriteImageAsync(image, [], cancellationToken).ConfigureAwait(false);
                blobs.AddRange(image.Manifest.Layers.Select(l => l.Digest));
                blobs.Add(image.Id);
            }
            await sink.WriteIndexAsync(index.Descriptor, bytes, root.Names, cancellationToken).ConfigureAwait(false);
            await sink.CommitAsync(cancellationToken).ConfigureAwait(false);
            // Remembered for cross-repository mounts when these images are pushed elsewhere in the registry.
            await new BlobSources(store.Layout.Root).RecordAsync(reference, [.. blobs.Distinct()], cancellationToken).ConfigureAwait(false);
            // The image a platform-less use of the name gets: the host's child, else the first.
            var host = sink.Images.FirstOrDefault(i => PlatformMatch.Matches(i.Config.Platform, options.Platform)) ?? sink.Images[0];
            return new PullResult(reference, root.Root.Digest, host, Downloaded: before?.Digest != index.Descriptor.Digest);
        }
    }

    private static async Task DownloadLayersAsync(ImageStore store, RegistrySource source, StoreSink sink, ImageDocuments image, PullOptions options, IPullProgress? progress, CancellationToken cancellationToken)
    {
        var diffIds = image.Config.RootFs.DiffIds;
        var layers = image.Manifest.Layers.Select((layer, i) => (Layer: layer, DiffId: diffIds[i])).DistinctBy(l => l.Layer.Digest).ToList();
        var present = new bool[layers.Count];
        for (int i = 0; i < layers.Count; i++)
        {
            present[i] = await store.Content.InfoAsync(layers[i].Layer.Digest, cancellationToken).ConfigureAwait(false) is not null
                && await store.Metadata.FindLayerAsync(layers[i].Layer.Digest, cancellationToken).ConfigureAwait(false) is { } known && known.DiffId == layers[i].DiffId;
            if (present[i]) progress?.Layer(layers[i].Layer, LayerPullState.AlreadyExists);
        }
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.MaxConcurrentDownloads, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(Enumerable.Range(0, layers.Count), parallel, async (i, ct) =>
        {
            var (layer, diffId) = layers[i];
            if (!present[i]) progress?.Layer(layer, LayerPullState.PullingFsLayer);
            await LayerDownload.WriteAsync(sink, source, layer, diffId, null, ct).ConfigureAwait(false);
            if (!present[i]) progress?.Layer(layer, LayerPullState.PullComplete);
        }).ConfigureAwait(false);
    }
}
