using Strata.Core;
using Strata.Images.Transfer;

namespace Strata.Images.Archives;

/// <summary>
/// <c>strata load</c>: an image archive (<see cref="ArchiveSource"/>: legacy docker-archive, the
/// Docker 25+ archive or an OCI layout archive, plain or compressed) into the store
/// (<see cref="StoreSink"/>). Every manifest is checked for ambiguity and validated with its
/// config, and every config and layer verified against its digest and the config's diff IDs,
/// before the image is recorded.
/// </summary>
public static class ImageLoader
{
    public static async Task<IReadOnlyList<LoadedImage>> LoadAsync(ImageStore store, Stream input, string archiveName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(input);
        // Every blob the load brings is held until its image is recorded; a load that fails
        // takes back the blobs only it brought (nothing else names them), instead of leaving
        // them for the next prune.
        var lease = store.Leases.Begin();
        try
        {
            var loaded = await LoadCoreAsync(store, input, archiveName, cancellationToken).ConfigureAwait(false);
            await lease.DisposeAsync().ConfigureAwait(false);
            return loaded;
        }
        catch
        {
            await lease.DiscardAsync(CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    private static async Task<IReadOnlyList<LoadedImage>> LoadCoreAsync(ImageStore store, Stream input, string archiveName, CancellationToken cancellationToken)
    {
        var source = await ArchiveSource.OpenAsync(input, archiveName, store.Layout.Temp, store.Options.MaxDocumentBytes, cancellationToken).ConfigureAwait(false);
        await using (source.ConfigureAwait(false))
        {
            // Entries naming one manifest (one per tag in an OCI layout) become one image with every name.
            var images = new List<(Descriptor Manifest, List<ImageReference> Names)>();
            foreach (var entry in await source.ListAsync(cancellationToken).ConfigureAwait(false))
            {
                var manifest = await ImageCopier.ResolveAsync(source, entry.Root, Platform.Host, cancellationToken).ConfigureAwait(false);
                if (manifest is null) continue;
                var same = source.IsDockerArchive ? default : images.FirstOrDefault(i => i.Manifest.Digest == manifest.Digest);
                if (same.Names is null) images.Add((manifest, [.. entry.Names]));
                else same.Names.AddRange(entry.Names.Except(same.Names));
            }
            if (images.Count == 0) throw new InvalidArgumentException($"{archiveName}: index.json lists no image for {Platform.Host}");

            var sink = new StoreSink(store, archiveName);
            await using (sink.ConfigureAwait(false))
            {
                var loaded = new List<LoadedImage>();
                foreach (var (manifest, names) in images)
                {
                    await ImageCopier.CopyAsync(source, manifest, names, sink, cancellationToken).ConfigureAwait(false);
                    loaded.Add(new LoadedImage(sink.Images[^1], names));
                }
                await sink.CommitAsync(cancellationToken).ConfigureAwait(false);
                return loaded;
            }
        }
    }
}
