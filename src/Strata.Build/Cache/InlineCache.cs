using System.Text.Json;
using Strata.Core;
using Strata.Images;
using Strata.Oci;
using Strata.Rootfs;

namespace Strata.Build.Cache;

/// <summary>
/// <c>--cache-to type=inline</c> and <c>--cache-from IMAGE</c>. An image's history does not say
/// which cache key made each entry (and guessing from the history text would reuse a COPY layer
/// whose files changed), so an inline build writes the keys into the config as the label
/// <see cref="Label"/>: per step of the final image, its key, its history entry's index and its
/// layer's index (-1 for none), and for a COPY/ADD --link step its parent-independent key too.
/// Importing maps each key back to that layer and entry; the link key without a snapshot, as a
/// linked layer is stacked on whatever parent the importing build has (a rebase). The image is
/// trusted as a cache source, like any <c>--cache-from</c>.
/// </summary>
internal static class InlineCache
{
    public const string Label = "dev.strata.cache.v0";

    public static string Serialize(IEnumerable<InlineCacheEntry> entries) =>
        JsonSerializer.Serialize([.. entries], CacheManifestJsonContext.Default.ListInlineCacheEntry);

    /// <summary>The label's entries (with or without link keys); a one-line error naming <paramref name="name"/> when it is not valid JSON.</summary>
    public static List<InlineCacheEntry> Parse(string json, string name)
    {
        try
        {
            return JsonSerializer.Deserialize(json, CacheManifestJsonContext.Default.ListInlineCacheEntry) ?? [];
        }
        catch (JsonException ex)
        {
            throw new InvalidArgumentException($"--cache-from {name}: label {Label} is not valid: {ex.Message}");
        }
    }

    /// <summary>Records the image's steps as cache records (a usable local record wins); missing layers unpack on the first hit.</summary>
    public static async Task ImportAsync(ImageStore store, string name, CancellationToken cancellationToken)
    {
        var image = await store.TryGetAsync(name, cancellationToken).ConfigureAwait(false)
            ?? throw new NotFoundException($"--cache-from {name}: no such image in the store (load or build it first)");
        if (image.Config.Config?.Labels?.GetValueOrDefault(Label) is not { } json)
            throw new InvalidArgumentException($"--cache-from {name}: the image carries no cache keys (label {Label}); build it with --cache-to type=inline");
        var entries = Parse(json, name);
        var history = image.Config.History ?? [];
        // Every entry is checked before any is recorded: a bad label leaves the store as it was.
        var imported = new List<CacheRecord>();
        foreach (var entry in entries)
        {
            if (!Digest.TryParse(entry.Key, out var digest) || entry.Layer >= image.Layers.Count || entry.History >= history.Count)
                throw new InvalidArgumentException($"--cache-from {name}: label {Label} names key {entry.Key} at a layer or history entry the image does not have");
            Digest linkDigest = default;
            if (entry.Link is not null && !Digest.TryParse(entry.Link, out linkDigest))
                throw new InvalidArgumentException($"--cache-from {name}: label {Label} gives step {entry.Key} the link key \"{entry.Link}\", which is not a digest");
            var item = entry.History >= 0 ? history[entry.History] : null;
            Digest? layer = entry.Layer >= 0 ? image.Layers[entry.Layer].Digest : null;
            string? snapshot = entry.Layer >= 0 ? SnapshotWorkspace.NameOf(image.ChainIds[entry.Layer]) : null;
            imported.Add(new CacheRecord(new CacheKey(digest), layer, snapshot, item?.CreatedBy, item?.Created));
            // Stacks are per parent, so the link record names no snapshot (as a local one).
            if (entry.Link is not null) imported.Add(new CacheRecord(new CacheKey(linkDigest), layer, null, item?.CreatedBy, item?.Created));
        }
        var records = new BuildCacheStore(store.Metadata);
        foreach (var record in imported) await PutAsync(store, records, record, cancellationToken).ConfigureAwait(false);
    }

    private static async Task PutAsync(ImageStore store, BuildCacheStore records, CacheRecord record, CancellationToken cancellationToken)
    {
        if (await records.FindAsync(record.Key, cancellationToken).ConfigureAwait(false) is { } local && await CacheImporter.UsableAsync(store, local, cancellationToken).ConfigureAwait(false)) return;
        await records.PutAsync(record, store.Now, cancellationToken).ConfigureAwait(false);
    }
}
