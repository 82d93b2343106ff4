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
            var next = index.Manifests.FirstOrDefault(m => Matches(m.Platform, platform));
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

    private static bool Matches(Platform? entry, Platform wanted) =>
        entry is null
        || (entry.Os == wanted.Os && entry.Architecture == wanted.Architecture
            && (entry.Variant is null || wanted.Variant is null || entry.Variant == wanted.Variant));
}
