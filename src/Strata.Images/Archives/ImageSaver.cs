using Strata.Core;
using Strata.Images.Transfer;

namespace Strata.Images.Archives;

/// <summary>
/// <c>strata save</c>: the images the user named, from the store (<see cref="StoreSource"/>) into
/// the Docker 25+ archive (<see cref="DockerArchiveSink"/>). Uncompressed layers (what builds
/// commit) leave as their compressed variant (<see cref="CompressingSink"/>: made once, then
/// remembered); other blobs stream as stored, so save -> load keeps the image ID (an index's
/// digest too), and each is verified as it streams: a corrupt blob fails the save naming its digest.
/// </summary>
public static class ImageSaver
{
    /// <param name="requests">What the user named: each resolved image and the name it was asked by (null for an ID).</param>
    public static Task SaveAsync(ImageStore store, IReadOnlyList<(StoredImage Image, ImageReference? Name)> requests, Stream output, CancellationToken cancellationToken) =>
        SaveAsync(store, requests, output, ExportCompression.Default, cancellationToken);

    /// <param name="compression">How uncompressed stored layers are written (their variants are remembered in the store).</param>
    public static Task<int> SaveAsync(ImageStore store, IReadOnlyList<(StoredImage Image, ImageReference? Name)> requests, Stream output, ExportCompression compression, CancellationToken cancellationToken) =>
        SaveAsync(store, requests, [], PlatformSelection.All, output, compression, cancellationToken);

    /// <summary>
    /// As above, with multi-platform images: each index is written as it is stored, with those of
    /// its present children <paramref name="platforms"/> selects (a platform asked for and not
    /// present fails the save naming it, before the archive is finished). Returns how many layers
    /// were compressed (the rest were remembered variants or left as stored).
    /// </summary>
    /// <param name="indexes">Indexes the user named, each with the name it was asked by (null for a digest).</param>
    /// <param name="compression">How uncompressed stored layers are written (their variants are remembered in the store).</param>
    public static Task<int> SaveAsync(ImageStore store, IReadOnlyList<(StoredImage Image, ImageReference? Name)> requests,
        IReadOnlyList<(StoredIndex Index, ImageReference? Name)> indexes, PlatformSelection platforms, Stream output, ExportCompression compression, CancellationToken cancellationToken) =>
        SaveAsync(store, requests, indexes, platforms, output, compression, null, cancellationToken);

    /// <summary>As above, telling <paramref name="progress"/> each layer's bytes as they are written into the archive (item: the short digest of the blob written).</summary>
    public static async Task<int> SaveAsync(ImageStore store, IReadOnlyList<(StoredImage Image, ImageReference? Name)> requests,
        IReadOnlyList<(StoredIndex Index, ImageReference? Name)> indexes, PlatformSelection platforms, Stream output, ExportCompression compression,
        IProgress<ByteProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(requests);
        ArgumentNullException.ThrowIfNull(indexes);
        var images = StoreSource.ForImages(store, requests, "save");
        var roots = (await images.ListAsync(cancellationToken).ConfigureAwait(false)).ToList();
        roots.AddRange(indexes.GroupBy(r => r.Index.Digest)
            .Select(g => new SourceImage(g.First().Index.Record.Descriptor, [.. g.Select(r => r.Name).OfType<ImageReference>().Distinct()])));
        var source = new StoreSource(store, roots, "save");
        await using (source.ConfigureAwait(false))
        {
            var created = new List<DateTimeOffset>(requests.Select(r => r.Image.Config.Created ?? DateTimeOffset.UnixEpoch));
            foreach (var child in indexes.SelectMany(i => i.Index.Present).Where(c => platforms.Wants(c.Platform)))
            {
                if (await store.TryGetAsync(child.ImageId!.Value.ToString(), cancellationToken).ConfigureAwait(false) is { } image)
                    created.Add(image.Config.Created ?? DateTimeOffset.UnixEpoch);
            }
            var modified = created.DefaultIfEmpty(DateTimeOffset.UnixEpoch).Max();
            var archive = new DockerArchiveSink(output, modified, "save");
            // Counted where the archive reads them: a compressed variant is counted as it is written, not while it is made.
            IImageSink counted = progress is null ? archive : new ProgressSink(archive, progress);
            var sink = new CompressingSink(counted, store, compression);
            await using (sink.ConfigureAwait(false))
            {
                // An index's digest is its identity (`images` shows it as the ID), so its children
                // leave as stored; a single image's ID is its config digest, which compression keeps.
                foreach (var root in roots)
                    await ImageCopier.CopyRootAsync(source, root.Root, root.Names, platforms, MediaTypes.IsIndex(root.Root.MediaType) ? counted : sink, cancellationToken).ConfigureAwait(false);
                await sink.CommitAsync(cancellationToken).ConfigureAwait(false);
                return sink.Compressed;
            }
        }
    }

    /// <summary>A blob's member name in an OCI layout: <c>blobs/ALG/HEX</c>.</summary>
    internal static string BlobPath(Digest digest) => $"blobs/{digest.Algorithm}/{digest.Encoded}";
}
