using Strata.Archive;
using Strata.Core;
using Strata.Images.Layers;
using Strata.Oci;

namespace Strata.Images.Import;

/// <summary>
/// <c>strata import</c>: a root filesystem (a directory, or a tar stream in any supported
/// compression) becomes a one-layer image. A tar is first applied into scratch space with the
/// same confinement rules as any layer, so what lands in the store is always our canonical,
/// deterministic layer, never the input's bytes.
/// </summary>
public static class RootfsImporter
{
    public static async Task<StoredImage> ImportDirectoryAsync(ImageStore store, string directory, string sourceName, ImportOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        if (!Directory.Exists(directory)) throw new NotFoundException($"import source {directory} is not a directory");
        var layer = await LayerIngest.FromTreeAsync(store, directory, WriteOptions(options), cancellationToken).ConfigureAwait(false);
        return await CommitAsync(store, layer, sourceName, options, cancellationToken).ConfigureAwait(false);
    }

    public static async Task<StoredImage> ImportTarAsync(ImageStore store, Stream tar, string sourceName, ImportOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        var scratch = Scratch.CreateDirectory(store.Layout.Temp, "import-");
        try
        {
            await LayerApplier.ApplyAsync(tar, scratch, new LayerApplyOptions { LayerName = sourceName, MaxUncompressedBytes = options.MaxUncompressedBytes }, cancellationToken).ConfigureAwait(false);
            var layer = await LayerIngest.FromTreeAsync(store, scratch, WriteOptions(options), cancellationToken).ConfigureAwait(false);
            return await CommitAsync(store, layer, sourceName, options, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Scratch.Delete(scratch);
        }
    }

    private static LayerWriteOptions WriteOptions(ImportOptions options) =>
        LayerWriteOptions.Default with { Compression = options.Compression, SourceDateEpoch = options.SourceDateEpoch };

    private static Task<StoredImage> CommitAsync(ImageStore store, Metadata.LayerRecord layer, string sourceName, ImportOptions options, CancellationToken cancellationToken)
    {
        var created = options.SourceDateEpoch ?? store.Now;
        var config = new ImageConfig(options.Platform.Architecture, options.Platform.Os, new RootFs([layer.DiffId]))
        {
            Created = created,
            Variant = options.Platform.Variant,
            Config = options.Config ?? new ContainerConfig(),
            History = [new HistoryEntry { Created = created, Comment = options.Message ?? $"Imported from {sourceName}" }],
        };
        return store.CommitImageAsync(config, [layer], options.Tag is null ? [] : [options.Tag], cancellationToken);
    }
}
