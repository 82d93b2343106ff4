using Strata.Core;
using Strata.Images.Transfer;

namespace Strata.Registry.Push;

/// <summary>
/// <c>strata push</c>: one image from any source into a <see cref="RegistrySink"/> (usually
/// behind a <see cref="CompressingSink"/>, which compresses what the store keeps uncompressed): the layers
/// several at once (each read to its end so the source verifies it), then config and manifest.
/// </summary>
public static class ImagePusher
{
    public static async Task<ImageDocuments> PushAsync(IImageSource source, Descriptor manifest, IReadOnlyList<ImageReference> names, IImageSink sink, PushOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentNullException.ThrowIfNull(options);
        if (options.MaxConcurrentUploads < 1) throw new InvalidArgumentException($"max concurrent uploads must be at least 1, not {options.MaxConcurrentUploads}");
        var image = await ImageCopier.ReadAsync(source, manifest, cancellationToken).ConfigureAwait(false);
        var diffIds = image.Config.RootFs.DiffIds;
        var layers = image.Manifest.Layers.Select((layer, i) => (Layer: layer, DiffId: diffIds[i])).DistinctBy(l => l.Layer.Digest).ToList();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.MaxConcurrentUploads, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(layers, parallel, (l, ct) =>
            new ValueTask(sink.WriteLayerAsync(l.Layer, l.DiffId, c => source.OpenBlobAsync(l.Layer, c), ct))).ConfigureAwait(false);
        await sink.WriteImageAsync(image, names, cancellationToken).ConfigureAwait(false);
        await sink.CommitAsync(cancellationToken).ConfigureAwait(false);
        return image;
    }
}
