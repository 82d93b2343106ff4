using Strata.Core;
using Strata.Images.Transfer;

namespace Strata.Images.Archives;

/// <summary>
/// <c>strata load</c>: an image archive (<see cref="ArchiveSource"/>: legacy docker-archive, the
/// Docker 25+ archive or an OCI layout archive, plain or compressed) into the store
/// (<see cref="StoreSink"/>). A multi-platform index is kept as it is, with every platform the
/// archive holds (docker's containerd store does the same). Every manifest is checked for ambiguity and validated with its
/// config, and every config and layer verified against its digest and the config's diff IDs,
/// before the image is recorded.
/// </summary>
public static class ImageLoader
{
    public static Task<IReadOnlyList<LoadedImage>> LoadAsync(ImageStore store, Stream input, string archiveName, CancellationToken cancellationToken) =>
        LoadAsync(store, input, archiveName, null, cancellationToken);

    /// <param name="progress">
    /// Told the bytes of the archive read while it is spooled (a pipe or a compressed archive:
    /// item <paramref name="archiveName"/>) and of each layer as it is stored (item: its short
    /// digest); null: nobody watches.
    /// </param>
    public static async Task<IReadOnlyList<LoadedImage>> LoadAsync(ImageStore store, Stream input, string archiveName, IProgress<ByteProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(input);
        // Every blob the load brings is held until its image is recorded; a load that fails
        // takes back the blobs only it brought (nothing else names them), instead of leaving
        // them for the next prune.
        var lease = store.Leases.Begin();
        try
        {
            var loaded = await LoadCoreAsync(store, input, archiveName, progress, cancellationToken).ConfigureAwait(false);
            await lease.DisposeAsync().ConfigureAwait(false);
            return loaded;
        }
        catch
        {
            await lease.DiscardAsync(CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    private static async Task<IReadOnlyList<LoadedImage>> LoadCoreAsync(ImageStore store, Stream input, string archiveName, IProgress<ByteProgress>? progress, CancellationToken cancellationToken)
    {
        var source = await ArchiveSource.OpenAsync(input, archiveName, store.Layout.Temp, store.Options.MaxDocumentBytes, progress, cancellationToken).ConfigureAwait(false);
        await using (source.ConfigureAwait(false))
        {
            // Entries naming one root (one per tag in an OCI layout) become one image with every name.
            var roots = new List<(Descriptor Root, List<ImageReference> Names)>();
            foreach (var entry in await source.ListAsync(cancellationToken).ConfigureAwait(false))
            {
                // An index is kept whole (every platform the archive holds); a manifest is itself.
                var root = MediaTypes.IsIndex(entry.Root.MediaType) ? entry.Root
                    : await ImageCopier.ResolveAsync(source, entry.Root, Platform.Host, cancellationToken).ConfigureAwait(false);
                if (root is null) continue;
                var same = source.IsDockerArchive ? default : roots.FirstOrDefault(i => i.Root.Digest == root.Digest);
                if (same.Names is null) roots.Add((root, [.. entry.Names]));
                else same.Names.AddRange(entry.Names.Except(same.Names));
            }
            if (roots.Count == 0) throw new InvalidArgumentException($"{archiveName}: index.json lists no image for {Platform.Host}");

            var sink = new StoreSink(store, archiveName);
            IImageSink target = progress is null ? sink : new ProgressSink(sink, progress);
            await using (target.ConfigureAwait(false))
            {
                var loaded = new List<LoadedImage>();
                foreach (var (root, names) in roots)
                {
                    var copied = await ImageCopier.CopyRootAsync(source, root, names, PlatformSelection.All, target, cancellationToken).ConfigureAwait(false);
                    if (copied.Index is null)
                    {
                        loaded.Add(new LoadedImage(sink.Images[^1], names));
                        continue;
                    }
                    var index = sink.Indexes[^1];
                    var shown = index.Find(Platform.Host) ?? index.Present.First();
                    loaded.Add(new LoadedImage(sink.Images.Last(i => i.Id == shown.ImageId), names) { Index = index });
                }
                await sink.CommitAsync(cancellationToken).ConfigureAwait(false);
                return loaded;
            }
        }
    }
}
