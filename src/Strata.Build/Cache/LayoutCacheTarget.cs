using Strata.Content;
using Strata.Core;
using Strata.Images.Transfer;

namespace Strata.Build.Cache;

/// <summary>
/// <c>--cache-to type=local,dest=DIR</c>: an OCI image layout (<see cref="OciLayoutSink"/>) whose
/// index.json lists the cache manifest under the ref name <see cref="CacheManifest.RefName"/>,
/// so skopeo and umoci can copy the directory. index.json is written last (atomically).
/// </summary>
internal sealed class LayoutCacheTarget(string directory) : ICacheTarget
{
    private readonly OciLayoutSink _sink = new(directory, "--cache-to");

    public string Name => _sink.Name;

    // A local directory gains nothing from parallel copies on one disk.
    public int ConcurrentLayers => 1;

    public Task WriteLayerAsync(Descriptor layer, DiffId diffId, Func<CancellationToken, Task<Stream>> open, CancellationToken cancellationToken) =>
        _sink.WriteLayerAsync(layer, diffId, open, cancellationToken);

    public async Task PublishAsync(Descriptor manifest, byte[] manifestBytes, byte[] configBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        // The cache is an artifact, not an image: its documents go in through the layout's blobs.
        await _sink.Blobs.WriteBlobAsync(CacheManifest.MediaType, configBytes, cancellationToken).ConfigureAwait(false);
        await _sink.Blobs.WriteBlobAsync(manifest.MediaType, manifestBytes, cancellationToken).ConfigureAwait(false);
        _sink.AddRoot(manifest with
        {
            ArtifactType = CacheManifest.ArtifactType,
            Annotations = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["org.opencontainers.image.ref.name"] = CacheManifest.RefName },
        });
        await _sink.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync() => _sink.DisposeAsync();
}
