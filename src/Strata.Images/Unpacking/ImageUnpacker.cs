using Strata.Archive;
using Strata.Core;

namespace Strata.Images.Unpacking;

/// <summary>
/// Applies an image's layers, bottom first, into a directory: the image's root filesystem as
/// a container would see it (what <c>umoci unpack</c> produces as rootfs/). The target must be
/// empty or absent; on failure the partial tree is removed.
/// </summary>
public static class ImageUnpacker
{
    public static async Task UnpackAsync(ImageStore store, StoredImage image, string target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(image);
        target = Path.GetFullPath(target);
        if (Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any())
            throw new AlreadyExistsException($"unpack target {target} is not empty");
        bool created = !Directory.Exists(target);
        Directory.CreateDirectory(target);
        try
        {
            var diffIds = image.Config.RootFs.DiffIds;
            for (int i = 0; i < image.Manifest.Layers.Count; i++)
            {
                var layer = image.Manifest.Layers[i];
                await using var blob = await store.Content.OpenReadAsync(layer.Digest, cancellationToken).ConfigureAwait(false);
                var options = new LayerApplyOptions { LayerName = layer.Digest.ToString(), ExpectedDiffId = i < diffIds.Count ? diffIds[i] : null };
                await LayerApplier.ApplyAsync(blob, target, options, cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            if (created) Scratch.Delete(target);
            else foreach (var entry in Directory.EnumerateFileSystemEntries(target)) Scratch.Delete(entry);
            throw;
        }
    }
}
