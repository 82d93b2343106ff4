using Strata.Images.Transfer;

namespace Strata.Images.Unpacking;

/// <summary>
/// Applies an image's layers, bottom first, into a directory: the image's root filesystem as
/// a container would see it (what <c>umoci unpack</c> produces as rootfs/). The store is the
/// source and a <see cref="RootfsSink"/> the sink. The target must be empty or absent; on
/// failure the partial tree is removed.
/// </summary>
public static class ImageUnpacker
{
    public static async Task UnpackAsync(ImageStore store, StoredImage image, string target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(image);
        var source = StoreSource.ForImages(store, [(image, null)], "unpack");
        await using (source.ConfigureAwait(false))
        {
            var sink = new RootfsSink(target, "unpack");
            await using (sink.ConfigureAwait(false))
            {
                await ImageCopier.CopyAsync(source, image.ManifestDescriptor, [], sink, cancellationToken).ConfigureAwait(false);
                await sink.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
