using Strata.Content;
using Strata.Core;
using Strata.Images.Layers;
using Strata.Images.Metadata;
using Strata.Oci;

namespace Strata.Images.Archives;

/// <summary>
/// Records one image from its manifest and a source of its blobs (an OCI layout archive for
/// <c>strata load</c>, a layout directory for <c>--build-context oci-layout://</c>): the config
/// read and checked against the manifest's layer count, every layer verified as it is ingested,
/// then config and manifest stored as they were, so the image keeps its digests.
/// </summary>
public static class ManifestIngest
{
    /// <param name="readDocument">Reads a small blob (the config) and verifies its digest and size.</param>
    /// <param name="openLayer">Opens a layer blob for reading (seekable or not; its length must be known).</param>
    /// <param name="where">What errors name first (the archive, the flag).</param>
    public static async Task<StoredImage> RecordAsync(
        ImageStore store,
        Descriptor manifestDescriptor,
        byte[] manifestBytes,
        ImageManifest manifest,
        Func<Descriptor, Task<byte[]>> readDocument,
        Func<Descriptor, Stream> openLayer,
        IReadOnlyList<ImageReference> names,
        string where,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(manifestDescriptor);
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(readDocument);
        ArgumentNullException.ThrowIfNull(openLayer);
        var configBytes = await readDocument(manifest.Config).ConfigureAwait(false);
        var config = OciJson.DeserializeConfig(configBytes, $"{where}: config {manifest.Config.Digest}");
        var diffIds = config.RootFs?.DiffIds ?? [];
        if (diffIds.Count != manifest.Layers.Count)
            throw new InvalidArgumentException($"{where}: config {manifest.Config.Digest} lists {diffIds.Count} diff IDs but its manifest has {manifest.Layers.Count} layers");
        var layers = new List<LayerRecord>();
        for (int i = 0; i < diffIds.Count; i++)
        {
            var descriptor = manifest.Layers[i];
            var data = openLayer(descriptor);
            await using (data.ConfigureAwait(false))
            {
                if (data.Length != descriptor.Size) throw new DigestMismatchException($"{where}: layer {descriptor.Digest} is {data.Length} bytes, its manifest says {descriptor.Size}");
                layers.Add(await LayerIngest.FromBlobAsync(store, data, descriptor.MediaType, diffIds[i], descriptor.Digest, $"{where}: layer {descriptor.Digest}", cancellationToken).ConfigureAwait(false));
            }
        }
        await store.WriteBlobAsync(manifest.Config.MediaType, configBytes, cancellationToken).ConfigureAwait(false);
        var stored = await store.WriteBlobAsync(manifestDescriptor.MediaType, manifestBytes, cancellationToken).ConfigureAwait(false);
        return await store.RecordImageAsync(stored, manifest, config, layers, names, cancellationToken).ConfigureAwait(false);
    }
}
