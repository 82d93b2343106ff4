using Strata.Core;
using Strata.Images.Transfer;

namespace Strata.Images.Archives;

/// <summary>
/// <c>strata save</c>: the images the user named, from the store (<see cref="StoreSource"/>) into
/// the Docker 25+ archive (<see cref="DockerArchiveSink"/>). Uncompressed layers (what builds
/// commit) leave as their compressed variant (<see cref="CompressingSink"/>: made once, then
/// remembered); other blobs stream as stored, so save -> load keeps the image ID, and each is
/// verified as it streams: a corrupt blob fails the save naming its digest.
/// </summary>
public static class ImageSaver
{
    /// <param name="requests">What the user named: each resolved image and the name it was asked by (null for an ID).</param>
    public static Task SaveAsync(ImageStore store, IReadOnlyList<(StoredImage Image, ImageReference? Name)> requests, Stream output, CancellationToken cancellationToken) =>
        SaveAsync(store, requests, output, ExportCompression.Default, cancellationToken);

    /// <param name="compression">How uncompressed stored layers are written (their variants are remembered in the store).</param>
    public static async Task<int> SaveAsync(ImageStore store, IReadOnlyList<(StoredImage Image, ImageReference? Name)> requests, Stream output, ExportCompression compression, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(requests);
        var source = StoreSource.ForImages(store, requests, "save");
        await using (source.ConfigureAwait(false))
        {
            var modified = requests.Select(r => r.Image.Config.Created ?? DateTimeOffset.UnixEpoch).DefaultIfEmpty(DateTimeOffset.UnixEpoch).Max();
            var sink = new CompressingSink(new DockerArchiveSink(output, modified, "save"), store, compression);
            await using (sink.ConfigureAwait(false))
            {
                foreach (var image in await source.ListAsync(cancellationToken).ConfigureAwait(false))
                    await ImageCopier.CopyAsync(source, image.Root, image.Names, sink, cancellationToken).ConfigureAwait(false);
                await sink.CommitAsync(cancellationToken).ConfigureAwait(false);
                return sink.Compressed;
            }
        }
    }

    /// <summary>A blob's member name in an OCI layout: <c>blobs/ALG/HEX</c>.</summary>
    internal static string BlobPath(Digest digest) => $"blobs/{digest.Algorithm}/{digest.Encoded}";
}
