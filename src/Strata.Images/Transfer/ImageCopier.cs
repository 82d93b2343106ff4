using Strata.Core;
using Strata.Oci;

namespace Strata.Images.Transfer;

/// <summary>
/// Moves images from an <see cref="IImageSource"/> to an <see cref="IImageSink"/>: resolves a root
/// through indexes to the manifest for a platform, reads and validates the manifest and config
/// (<see cref="ImageDocuments"/>), then hands the sink every layer as a lazy, self-verifying
/// stream and the documents last. One walk for save, load, <c>--output</c>, oci-layout contexts
/// and, later, pull and push.
/// </summary>
public static class ImageCopier
{
    private const int MaxNesting = 4;

    /// <summary>
    /// The manifest <paramref name="root"/> stands for on <paramref name="platform"/>: itself when
    /// it is a manifest; through (nested) indexes the first entry without a platform or of the
    /// same OS and architecture (variants must agree when both give one). Null when an index has
    /// no such entry, or <paramref name="root"/> is neither (an artifact: skipped, as docker does).
    /// </summary>
    public static async Task<Descriptor?> ResolveAsync(IImageSource source, Descriptor root, Platform platform, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(platform);
        var current = root;
        for (int depth = 0; MediaTypes.IsIndex(current.MediaType); depth++)
        {
            if (depth == MaxNesting) throw new InvalidArgumentException($"{source.Name}: indexes nested too deeply");
            var bytes = await source.ReadDocumentAsync(current, cancellationToken).ConfigureAwait(false);
            var index = ImageDocuments.ParseIndex(current, bytes, source.Name);
            var next = index.Manifests.FirstOrDefault(m => m.Platform is null || PlatformMatch.Matches(m.Platform, platform));
            if (next is null) return null;
            current = next;
        }
        return MediaTypes.IsManifest(current.MediaType) ? current : null;
    }

    /// <summary>The validated manifest and config <paramref name="manifest"/> names.</summary>
    public static async Task<ImageDocuments> ReadAsync(IImageSource source, Descriptor manifest, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(manifest);
        var manifestBytes = await source.ReadDocumentAsync(manifest, cancellationToken).ConfigureAwait(false);
        // Refused before the config is even fetched: an ambiguous manifest names nothing we trust.
        var parsed = ImageDocuments.ParseManifest(manifest, manifestBytes, source.Name);
        var configBytes = await source.ReadDocumentAsync(parsed.Config, cancellationToken).ConfigureAwait(false);
        return ImageDocuments.Parse(manifest, manifestBytes, configBytes, source.Name);
    }

    /// <summary>
    /// Copies the image <paramref name="manifest"/> names into <paramref name="sink"/> under
    /// <paramref name="names"/>. The caller commits the sink once every image is copied.
    /// </summary>
    public static async Task<ImageDocuments> CopyAsync(IImageSource source, Descriptor manifest, IReadOnlyList<ImageReference> names, IImageSink sink, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentNullException.ThrowIfNull(names);
        var image = await ReadAsync(source, manifest, cancellationToken).ConfigureAwait(false);
        var diffIds = image.Config.RootFs.DiffIds;
        for (int i = 0; i < image.Manifest.Layers.Count; i++)
        {
            var layer = image.Manifest.Layers[i];
            await sink.WriteLayerAsync(layer, diffIds[i], ct => source.OpenBlobAsync(layer, ct), cancellationToken).ConfigureAwait(false);
        }
        await sink.WriteImageAsync(image, names, cancellationToken).ConfigureAwait(false);
        return image;
    }

    /// <summary>
    /// Copies <paramref name="root"/> as it is: a manifest as one image, an index with the
    /// children <paramref name="platforms"/> selects (see <see cref="CopyIndexAsync"/>).
    /// </summary>
    public static async Task<CopiedRoot> CopyRootAsync(IImageSource source, Descriptor root, IReadOnlyList<ImageReference> names, PlatformSelection platforms, IImageSink sink, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(root);
        if (MediaTypes.IsIndex(root.MediaType)) return await CopyIndexAsync(source, root, names, platforms, sink, cancellationToken).ConfigureAwait(false);
        var image = await CopyAsync(source, root, names, sink, cancellationToken).ConfigureAwait(false);
        return new CopiedRoot(root, null, [new CopiedChild(root, image.Config.Platform, image)]);
    }

    /// <summary>
    /// Copies the index <paramref name="index"/> names: every child <paramref name="platforms"/>
    /// wants that the source holds (a child whose manifest the source lacks is skipped: an archive
    /// of one platform of a multi-platform image lists them all), then the index itself, byte for
    /// byte. A platform asked for by name that the source does not hold fails naming it; so does
    /// an index of which nothing wanted is present.
    /// </summary>
    public static async Task<CopiedRoot> CopyIndexAsync(IImageSource source, Descriptor index, IReadOnlyList<ImageReference> names, PlatformSelection platforms, IImageSink sink, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(platforms);
        ArgumentNullException.ThrowIfNull(sink);
        var bytes = await source.ReadDocumentAsync(index, cancellationToken).ConfigureAwait(false);
        var document = IndexDocument.Parse(index, bytes, source.Name);
        var copied = new List<CopiedChild>();
        foreach (var child in document.Children.Where(c => platforms.Wants(c.Platform)).DistinctBy(c => c.Digest))
        {
            try
            {
                await source.ReadDocumentAsync(child, cancellationToken).ConfigureAwait(false);
            }
            catch (NotFoundException)
            {
                continue;
            }
            var image = await CopyAsync(source, child, [], sink, cancellationToken).ConfigureAwait(false);
            copied.Add(new CopiedChild(child, child.Platform, image));
        }
        var shown = names.Count > 0 ? names[0].Familiar : index.Digest.ToString();
        if (platforms.Platforms is { } wanted)
        {
            foreach (var platform in wanted.Where(p => !copied.Any(c => PlatformMatch.Matches(c.Platform, p))))
                throw new NotFoundException($"{source.Name}: image {shown} has no {platform} platform present{Present(document)}");
        }
        else if (copied.Count == 0)
        {
            throw new NotFoundException($"{source.Name}: image {shown} (index {index.Digest}) has none of its platforms present");
        }
        await sink.WriteIndexAsync(document.Descriptor, bytes, names, cancellationToken).ConfigureAwait(false);
        return new CopiedRoot(document.Descriptor, document, copied);
    }

    private static string Present(IndexDocument document) =>
        $" (it lists {string.Join(", ", document.Children.Select(c => c.Platform?.ToString() ?? "no platform").Distinct())})";
}
