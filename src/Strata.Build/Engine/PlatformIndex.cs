using Strata.Core;
using Strata.Images;
using Strata.Images.Transfer;
using Strata.Oci;

namespace Strata.Build.Engine;

/// <summary>
/// The OCI image index of a multi-platform build: one entry per platform image, in
/// <c>--platform</c> order, each with its config's platform, and nothing else (no time, no
/// annotation), so the same images always give the same index digest. Stored and recorded
/// under the build's tags (which then name the index, not an image).
/// </summary>
internal static class PlatformIndex
{
    public static async Task<StoredIndex> CommitAsync(ImageStore store, IReadOnlyList<StoredImage> images, IReadOnlyList<ImageReference> tags, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(images);
        var bytes = Serialize(images);
        var descriptor = await store.WriteBlobAsync(MediaTypes.OciIndex, bytes, cancellationToken).ConfigureAwait(false);
        var document = IndexDocument.Parse(descriptor, bytes, "build");
        return await store.Indexes.RecordAsync(document, tags, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The index's bytes.</summary>
    public static byte[] Serialize(IReadOnlyList<StoredImage> images)
    {
        ArgumentNullException.ThrowIfNull(images);
        var manifests = images.Select(i =>
        {
            var config = i.Config;
            var record = i.ManifestDescriptor;
            return new Descriptor(record.MediaType, record.Digest, record.Size) { Platform = new Platform(config.Os, config.Architecture, config.Variant) };
        }).ToList();
        return OciJson.Serialize(new ImageIndex(manifests) { MediaType = MediaTypes.OciIndex });
    }
}
