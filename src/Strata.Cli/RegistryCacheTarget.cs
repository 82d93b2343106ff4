using Strata.Build.Cache;
using Strata.Core;
using Strata.Registry.Pull;
using Strata.Registry.Push;

namespace Strata.Cli;

/// <summary>
/// <c>--cache-to type=registry,ref=REF</c>: the cache's layers through the <see cref="RegistrySink"/>
/// (skipped when present, mounted when known in another repository of the registry, else
/// uploaded; several at once), then its config and one OCI image manifest under REF's tag. Once the tag is put,
/// the layers are remembered as being in REF's repository, so pushing the built image (whose
/// layers are the same blobs) to another repository of that registry mounts them.
/// </summary>
internal sealed class RegistryCacheTarget(RegistrySink sink, ImageReference reference, BlobSources sources, int concurrentLayers) : ICacheTarget
{
    // Layers are uploaded several at once (CacheExporter): the list is written under a lock.
    private readonly List<Digest> _layers = [];
    private readonly Lock _gate = new();

    public string Name => reference.ToString();

    public int ConcurrentLayers => concurrentLayers;

    public async Task WriteLayerAsync(Descriptor layer, DiffId diffId, Func<CancellationToken, Task<Stream>> open, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(layer);
        await sink.WriteLayerAsync(layer, diffId, open, cancellationToken).ConfigureAwait(false);
        lock (_gate) _layers.Add(layer.Digest);
    }

    public async Task PublishAsync(Descriptor manifest, byte[] manifestBytes, byte[] configBytes, CancellationToken cancellationToken)
    {
        await sink.WriteArtifactAsync(manifest, manifestBytes, configBytes, [reference], cancellationToken).ConfigureAwait(false);
        await sources.RecordAsync(reference, _layers, cancellationToken).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync() => sink.DisposeAsync();
}
