using Strata.Core;

namespace Strata.Images.Transfer;

/// <summary>
/// A sink in front of another that reports each layer's bytes as the inner sink reads them (one
/// <see cref="ByteProgress"/> item per layer: its short digest, of its descriptor's size), and the
/// layer complete when the inner sink is done with it, read or skipped (a layer the store already
/// holds is not read again). It owns the inner sink, as <see cref="CompressingSink"/> does: disposing it disposes that one.
/// </summary>
public sealed class ProgressSink : IImageSink
{
    private readonly IImageSink _inner;
    private readonly IProgress<ByteProgress> _progress;

    public ProgressSink(IImageSink inner, IProgress<ByteProgress> progress)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(progress);
        _inner = inner;
        _progress = progress;
    }

    public string Name => _inner.Name;

    public async Task WriteLayerAsync(Descriptor layer, DiffId diffId, Func<CancellationToken, Task<Stream>> open, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(layer);
        ArgumentNullException.ThrowIfNull(open);
        var item = layer.Digest.ShortHex;
        _progress.Report(new ByteProgress(item, 0, layer.Size));
        await _inner.WriteLayerAsync(layer, diffId, async ct => CountingReadStream.Reporting(await open(ct).ConfigureAwait(false), _progress, item, layer.Size), cancellationToken).ConfigureAwait(false);
        _progress.Report(new ByteProgress(item, layer.Size, layer.Size));
    }

    public Task WriteImageAsync(ImageDocuments image, IReadOnlyList<ImageReference> names, CancellationToken cancellationToken) =>
        _inner.WriteImageAsync(image, names, cancellationToken);

    public Task WriteIndexAsync(Descriptor index, byte[] indexBytes, IReadOnlyList<ImageReference> names, CancellationToken cancellationToken) =>
        _inner.WriteIndexAsync(index, indexBytes, names, cancellationToken);

    public Task CommitAsync(CancellationToken cancellationToken) => _inner.CommitAsync(cancellationToken);

    public ValueTask DisposeAsync() => _inner.DisposeAsync();
}
