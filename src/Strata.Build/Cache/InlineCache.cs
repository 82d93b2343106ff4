using System.Text.Json;
using Strata.Core;
using Strata.Images;
using Strata.Oci;

namespace Strata.Build.Cache;

/// <summary>
/// <c>--cache-to type=inline</c> and <c>--cache-from IMAGE</c>. An image's history does not say
/// which cache key made each entry (and guessing from the history text would reuse a COPY layer
/// whose files changed), so an inline build writes the keys into the config as the label
/// <see cref="Label"/>: per step of the final image, its key, its history entry's index and its
/// layer's index (-1 for none). Importing maps each key back to that layer and entry. The image
/// is trusted as a cache source, like any <c>--cache-from</c>.
/// </summary>
internal static class InlineCache
{
    public const string Label = "dev.strata.cache.v0";

    public static string Serialize(IEnumerable<InlineCacheEntry> entries) =>
        JsonSerializer.Serialize([.. entries], CacheManifestJsonContext.Default.ListInlineCacheEntry);

    /// <summary>Records the image's steps as cache records (a usable local record wins); missing layers unpack on the first hit.</summary>
    public static async Task ImportAsync(ImageStore store, string name, CancellationToken cancellationToken)
    {
        var image = await store.TryGetAsync(name, cancellationToken).ConfigureAwait(false)
            ?? throw new NotFoundException($"--cache-from {name}: no such image in the store (load or build it first)");
        if (image.Config.Config?.Labels?.GetValueOrDefault(Label) is not { } json)
            throw new InvalidArgumentException($"--cache-from {name}: the image carries no cache keys (label {Label}); build it with --cache-to type=inline");
        List<InlineCacheEntry> entries;
        try
        {
            entries = JsonSerializer.Deserialize(json, CacheManifestJsonContext.Default.ListInlineCacheEntry) ?? [];
        }
        catch (JsonException ex)
        {
            throw new InvalidArgumentException($"--cache-from {name}: label {Label} is not valid: {ex.Message}");
        }
        var history = image.Config.History ?? [];
        var records = new BuildCacheStore(store.Metadata);
        foreach (var entry in entries)
        {
            if (!Digest.TryParse(entry.Key, out var digest) || entry.Layer >= image.Layers.Count || entry.History >= history.Count)
                throw new InvalidArgumentException($"--cache-from {name}: label {Label} names key {entry.Key} at a layer or history entry the image does not have");
            var key = new CacheKey(digest);
            if (await records.FindAsync(key, cancellationToken).ConfigureAwait(false) is { } local && await CacheImporter.UsableAsync(store, local, cancellationToken).ConfigureAwait(false)) continue;
            var item = entry.History >= 0 ? history[entry.History] : null;
            Digest? layer = entry.Layer >= 0 ? image.Layers[entry.Layer].Digest : null;
            string? snapshot = entry.Layer >= 0 ? Workspace.SnapshotWorkspace.NameOf(image.ChainIds[entry.Layer]) : null;
            await records.PutAsync(new CacheRecord(key, layer, snapshot, item?.CreatedBy, item?.Created), store.Now, cancellationToken).ConfigureAwait(false);
        }
    }
}

/// <summary>One step in the <see cref="InlineCache.Label"/> label: key, history index, layer index (-1: none).</summary>
internal sealed record InlineCacheEntry(string Key, int History, int Layer);
