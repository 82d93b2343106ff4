using Strata.Content;
using Strata.Core;
using Strata.Images;
using Strata.Images.Transfer;
using Strata.Registry.Push;
using Strata.Registry.Transport;

namespace Strata.Cli;

/// <summary>
/// Images and indexes of the store into a registry, for <c>strata push</c> and
/// <c>build --push</c>: layers the store keeps uncompressed leave gzip-compressed (made once,
/// remembered) through a <see cref="CompressingSink"/>, as docker push sends them; an index goes
/// up after its children, rewritten only when a child's layers had to be compressed.
/// </summary>
internal static class RegistryPush
{
    /// <returns>The manifest as the registry stored it.</returns>
    public static async Task<Descriptor> PushImageAsync(ImageStore store, RegistryClient client, ImageReference target, StoredImage image, PushOptions options, IPushProgress? progress, CancellationToken cancellationToken)
    {
        var source = new StoreSource(store, [new SourceImage(image.ManifestDescriptor, [target])]);
        await using var sourceScope = source.ConfigureAwait(false);
        var registry = new RegistrySink(client, target, options, progress);
        var sink = new CompressingSink(registry, store, ExportCompression.Default, Math.Max(1, options.MaxConcurrentUploads));
        await using var sinkScope = sink.ConfigureAwait(false);
        var pushed = await ImagePusher.PushAsync(source, image.ManifestDescriptor, [target], sink, options, cancellationToken).ConfigureAwait(false);
        return registry.LastPut ?? pushed.ManifestDescriptor;
    }

    /// <summary>Every child of <paramref name="index"/> the store holds (by digest), then the index under <paramref name="target"/>.</summary>
    /// <returns>The index as the registry stored it.</returns>
    public static async Task<Descriptor> PushIndexAsync(ImageStore store, RegistryClient client, ImageReference target, StoredIndex index, PushOptions options, IPushProgress? progress, CancellationToken cancellationToken)
    {
        var source = new StoreSource(store, []);
        await using var sourceScope = source.ConfigureAwait(false);
        var registry = new RegistrySink(client, target, options, progress);
        var sink = new CompressingSink(registry, store, ExportCompression.Default, Math.Max(1, options.MaxConcurrentUploads));
        await using var sinkScope = sink.ConfigureAwait(false);
        foreach (var child in index.Present.DistinctBy(c => c.Manifest.Digest))
            await ImagePusher.PushAsync(source, child.Manifest, [], sink, options, cancellationToken).ConfigureAwait(false);
        var bytes = await store.Content.ReadAllBytesAsync(index.Digest, store.Options.MaxDocumentBytes, cancellationToken).ConfigureAwait(false);
        await sink.WriteIndexAsync(new Descriptor(index.Record.MediaType, index.Digest, index.Record.Size), bytes, [target], cancellationToken).ConfigureAwait(false);
        await sink.CommitAsync(cancellationToken).ConfigureAwait(false);
        return registry.LastPut ?? throw new InvalidOperationException($"{target}: the index was not put");
    }
}
