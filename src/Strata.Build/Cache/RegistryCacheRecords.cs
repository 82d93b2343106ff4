using System.Collections.Concurrent;
using Strata.Core;
using Strata.Images;
using Strata.Images.Layers;
using Strata.Images.Transfer;

namespace Strata.Build.Cache;

/// <summary>
/// The records of this build's <c>--cache-from type=registry</c> caches, held until a step looks
/// their key up: only then is the record's layer downloaded (once per layer, however many steps
/// or stages ask at once) and the record written to the store, so the lookup that follows finds
/// it like any other. A key no cache has costs nothing; the layers of steps that miss, or of
/// stages this build does not reach, are never downloaded. The first cache (in
/// <c>--cache-from</c> order) that has a key wins; a usable local record wins over all of them.
/// </summary>
internal sealed class RegistryCacheRecords(ICacheRegistry? registry)
{
    private readonly List<(IImageSource Source, ImageReference Reference, Dictionary<CacheKey, CacheManifestRecord> Records)> _caches = [];
    private readonly ConcurrentDictionary<CacheKey, Lazy<Task>> _keys = new();
    private readonly ConcurrentDictionary<Digest, Lazy<Task>> _layers = new();

    /// <summary>The registry glue; a registry cache without it is refused.</summary>
    public ICacheRegistry Registry => registry ?? throw new InvalidArgumentException("--cache-from type=registry: this build cannot reach registries");

    /// <summary>Called while the session opens, before any lookup (not thread-safe).</summary>
    public void Add(IImageSource source, ImageReference reference, CacheManifest cache)
    {
        ArgumentNullException.ThrowIfNull(cache);
        var records = new Dictionary<CacheKey, CacheManifestRecord>();
        foreach (var entry in cache.Records) records.TryAdd(new CacheKey(Digest.Parse(entry.Key)), entry);
        _caches.Add((source, reference, records));
    }

    /// <summary>Makes the record of <paramref name="key"/> usable in the store when a registry cache has it; nothing otherwise.</summary>
    public Task FetchAsync(ImageStore store, CacheKey key, CancellationToken cancellationToken)
    {
        if (!_caches.Exists(c => c.Records.ContainsKey(key))) return Task.CompletedTask;
        return _keys.GetOrAdd(key, k => new Lazy<Task>(() => FetchCoreAsync(store, k, cancellationToken))).Value;
    }

    private async Task FetchCoreAsync(ImageStore store, CacheKey key, CancellationToken cancellationToken)
    {
        var records = new BuildCacheStore(store.Metadata);
        if (await records.FindAsync(key, cancellationToken).ConfigureAwait(false) is { } local && await CacheImporter.UsableAsync(store, local, cancellationToken).ConfigureAwait(false)) return;
        var (source, reference, entries) = _caches.First(c => c.Records.ContainsKey(key));
        var entry = entries[key];
        Digest? layerDigest = null;
        var named = CacheImporter.LayerOf(entry, reference.ToString());
        if (named is { } held && await LocalLayers.FindAsync(store, held.DiffId, cancellationToken).ConfigureAwait(false) is { } stored)
        {
            // The content is here already (maybe under another compression): nothing to download.
            layerDigest = stored;
        }
        else if (named is { } layer)
        {
            await _layers.GetOrAdd(layer.Descriptor.Digest, _ => new Lazy<Task>(() => DownloadAsync(store, source, reference, layer.Descriptor, layer.DiffId, cancellationToken))).Value.ConfigureAwait(false);
            layerDigest = layer.Descriptor.Digest;
        }
        await records.PutAsync(new CacheRecord(key, layerDigest, entry.Snapshot, entry.CreatedBy, entry.HistoryCreated), store.Now, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One layer into the store, checked against its digest and diff ID; skipped when the store has it already.</summary>
    private async Task DownloadAsync(ImageStore store, IImageSource source, ImageReference reference, Descriptor layer, DiffId diffId, CancellationToken cancellationToken)
    {
        if (await store.Metadata.FindLayerAsync(layer.Digest, cancellationToken).ConfigureAwait(false) is { } known && known.DiffId == diffId
            && await store.Content.InfoAsync(layer.Digest, cancellationToken).ConfigureAwait(false) is not null)
            return;
        var stream = await source.OpenBlobAsync(layer, cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
            await LayerIngest.FromBlobAsync(store, stream, layer.MediaType, diffId, layer.Digest, $"--cache-from {reference}: layer {layer.Digest}", cancellationToken).ConfigureAwait(false);
        await Registry.FetchedAsync(store, reference, layer.Digest, cancellationToken).ConfigureAwait(false);
    }
}
