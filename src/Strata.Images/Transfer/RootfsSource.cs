using Strata.Archive;
using Strata.Core;
using Strata.Images.Import;
using Strata.Images.Layers;
using Strata.Oci;

namespace Strata.Images.Transfer;

/// <summary>
/// A root filesystem (a directory) as a source of one single-layer image (<c>strata import</c>).
/// The layer is written once, canonical and compressed, straight into the store's content
/// (<see cref="LayerIngest.FromTreeAsync"/>): compression is paid once and a <see cref="StoreSink"/>
/// on the same store finds it there without reading it again. The config and manifest are made
/// here, as <see cref="ImageStore.CommitImageAsync(ImageConfig, IReadOnlyList{Metadata.LayerRecord}, IReadOnlyList{ImageReference}, CancellationToken)"/>
/// would make them, and served from memory.
/// </summary>
public sealed class RootfsSource : IImageSource
{
    private readonly ImageStore _store;
    private readonly string _directory;
    private readonly string _sourceName;
    private readonly ImportOptions _options;
    private readonly IProgress<ByteProgress>? _progress;
    private readonly Dictionary<Digest, byte[]> _documents = [];
    private SourceImage? _image;

    /// <param name="directory">The root filesystem.</param>
    /// <param name="sourceName">What the user named (the history comment says "Imported from" it).</param>
    /// <param name="progress">Told the content bytes written into the layer (item <see cref="RootfsImporter.LayerItem"/>, of the tree's size).</param>
    public RootfsSource(ImageStore store, string directory, string sourceName, ImportOptions options, IProgress<ByteProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        if (!Directory.Exists(directory)) throw new NotFoundException($"import source {directory} is not a directory");
        _store = store;
        _directory = directory;
        _sourceName = sourceName;
        _options = options;
        _progress = progress;
    }

    public string Name => _sourceName;

    public async Task<IReadOnlyList<SourceImage>> ListAsync(CancellationToken cancellationToken)
    {
        if (_image is not null) return [_image];
        var writeOptions = LayerWriteOptions.Default with { Compression = _options.Compression, SourceDateEpoch = _options.SourceDateEpoch };
        if (_progress is { } progress)
        {
            // The tree's size is walked for first only when someone watches.
            long total = LayerIngest.ContentSizeOf(_directory);
            progress.Report(new ByteProgress(RootfsImporter.LayerItem, 0, total));
            writeOptions = writeOptions with { Progress = new InlineProgress<long>(done => progress.Report(new ByteProgress(RootfsImporter.LayerItem, done, total))) };
        }
        var layer = await LayerIngest.FromTreeAsync(_store, _directory, writeOptions, cancellationToken).ConfigureAwait(false);
        var created = _options.SourceDateEpoch ?? _store.Now;
        var config = new ImageConfig(_options.Platform.Architecture, _options.Platform.Os, new RootFs([layer.DiffId]))
        {
            Created = created,
            Variant = _options.Platform.Variant,
            Config = _options.Config ?? new ContainerConfig(),
            History = [new HistoryEntry { Created = created, Comment = _options.Message ?? $"Imported from {_sourceName}" }],
        };
        var configBytes = OciJson.Serialize(config);
        var configDescriptor = new Descriptor(MediaTypes.OciConfig, Digest.Compute(configBytes), configBytes.Length);
        var manifest = new ImageManifest(configDescriptor, [new Descriptor(layer.MediaType, layer.Digest, layer.Size)]) { MediaType = MediaTypes.OciManifest };
        var manifestBytes = OciJson.Serialize(manifest);
        var manifestDescriptor = new Descriptor(MediaTypes.OciManifest, Digest.Compute(manifestBytes), manifestBytes.Length);
        _documents[configDescriptor.Digest] = configBytes;
        _documents[manifestDescriptor.Digest] = manifestBytes;
        _image = new SourceImage(manifestDescriptor, _options.Tag is null ? [] : [_options.Tag]);
        return [_image];
    }

    public Task<byte[]> ReadDocumentAsync(Descriptor descriptor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        return _documents.TryGetValue(descriptor.Digest, out var bytes)
            ? Task.FromResult(bytes)
            : throw new NotFoundException($"{Name}: no document {descriptor.Digest}");
    }

    /// <summary>The layer, from the store's content where <see cref="ListAsync"/> wrote it.</summary>
    public Task<Stream> OpenBlobAsync(Descriptor descriptor, CancellationToken cancellationToken) =>
        StoreBlobs.OpenAsync(_store, descriptor, Name, cancellationToken);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
