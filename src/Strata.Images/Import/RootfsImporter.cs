using Strata.Archive;
using Strata.Core;
using Strata.Images.Transfer;

namespace Strata.Images.Import;

/// <summary>
/// <c>strata import</c>: a root filesystem (a directory, or a tar stream in any supported
/// compression) becomes a one-layer image, copied from a <see cref="RootfsSource"/> into the
/// store through a <see cref="StoreSink"/>. A tar is first applied into scratch space with the
/// same confinement rules as any layer, so what lands in the store is always our canonical,
/// deterministic layer, never the input's bytes.
/// </summary>
public static class RootfsImporter
{
    /// <summary>The item a <see cref="ByteProgress"/> names while the layer is written (the source's bytes are reported under its own name).</summary>
    public const string LayerItem = "(layer)";

    public static Task<StoredImage> ImportDirectoryAsync(ImageStore store, string directory, string sourceName, ImportOptions options, CancellationToken cancellationToken) =>
        ImportDirectoryAsync(store, directory, sourceName, options, null, cancellationToken);

    /// <param name="progress">Told the content bytes written into the layer (item <see cref="LayerItem"/>); null: nobody watches.</param>
    public static async Task<StoredImage> ImportDirectoryAsync(ImageStore store, string directory, string sourceName, ImportOptions options, IProgress<ByteProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        return await CopyAsync(store, new RootfsSource(store, directory, sourceName, options, progress), cancellationToken).ConfigureAwait(false);
    }

    public static Task<StoredImage> ImportTarAsync(ImageStore store, Stream tar, string sourceName, ImportOptions options, CancellationToken cancellationToken) =>
        ImportTarAsync(store, tar, sourceName, options, null, cancellationToken);

    /// <param name="progress">
    /// Told the bytes of <paramref name="tar"/> read (item <paramref name="sourceName"/>, of its
    /// length when it has one), then the content bytes written into the layer (item
    /// <see cref="LayerItem"/>); null: nobody watches.
    /// </param>
    public static async Task<StoredImage> ImportTarAsync(ImageStore store, Stream tar, string sourceName, ImportOptions options, IProgress<ByteProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(tar);
        ArgumentNullException.ThrowIfNull(options);
        var scratch = Scratch.CreateDirectory(store.Layout.Temp, "import-");
        try
        {
            long? length = tar.CanSeek ? tar.Length - tar.Position : null;
            var input = progress is null ? tar : CountingReadStream.Reporting(tar, progress, sourceName, length);
            await LayerApplier.ApplyAsync(input, scratch, new LayerApplyOptions { LayerName = sourceName, MaxUncompressedBytes = options.MaxUncompressedBytes }, cancellationToken).ConfigureAwait(false);
            // The whole source was read (a tar's end blocks may be left unread): its bar is full.
            if (progress is not null && length is long total) progress.Report(new ByteProgress(sourceName, total, total));
            return await CopyAsync(store, new RootfsSource(store, scratch, sourceName, options, progress), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Scratch.Delete(scratch);
        }
    }

    private static async Task<StoredImage> CopyAsync(ImageStore store, RootfsSource source, CancellationToken cancellationToken)
    {
        // The layer is held until its image is recorded (a prune meanwhile keeps it).
        await using var lease = store.Leases.Begin();
        await using (source.ConfigureAwait(false))
        {
            var image = (await source.ListAsync(cancellationToken).ConfigureAwait(false))[0];
            var sink = new StoreSink(store, source.Name);
            await using (sink.ConfigureAwait(false))
            {
                await ImageCopier.CopyAsync(source, image.Root, image.Names, sink, cancellationToken).ConfigureAwait(false);
                await sink.CommitAsync(cancellationToken).ConfigureAwait(false);
                return sink.Images[^1];
            }
        }
    }
}
