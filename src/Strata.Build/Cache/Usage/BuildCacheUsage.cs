using Strata.Core;
using Strata.Images;

namespace Strata.Build.Cache.Usage;

/// <summary>Reads the build cache records (<see cref="BuildCacheTables"/>) with their sizes.</summary>
public static class BuildCacheUsage
{
    public static async Task<List<BuildCacheEntry>> ListAsync(ImageStore store, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var rows = await store.Metadata.ReadAsync(BuildCacheTables.Tables, (s, ct) => s.QueryAsync(
            "SELECT b.key, b.layer_digest, b.snapshot, b.created_by, b.created_at, b.last_used, u.count FROM build_cache b LEFT JOIN build_cache_usage u ON u.key = b.key",
            r => (Key: Digest.Parse(r.GetString(0)), Layer: r.IsNull(1) ? (Digest?)null : Digest.Parse(r.GetString(1)), Snapshot: r.IsNull(2) ? null : r.GetString(2),
                CreatedBy: r.IsNull(3) ? null : r.GetString(3), Created: BuildCacheStore.ParseTime(r.GetString(4)), LastUsed: BuildCacheStore.ParseTime(r.GetString(5)), Usage: r.IsNull(6) ? 0 : r.GetInt64(6)), ct),
            cancellationToken).ConfigureAwait(false);
        var imageLayers = await store.Metadata.ImageLayerDigestsAsync(cancellationToken).ConfigureAwait(false);
        var entries = new List<BuildCacheEntry>(rows.Count);
        foreach (var row in rows)
        {
            long size = 0;
            if (row.Layer is { } layer && await store.Content.InfoAsync(layer, cancellationToken).ConfigureAwait(false) is { } info) size = info.Size;
            entries.Add(new BuildCacheEntry(row.Key.Encoded[..25], row.Key, row.Layer, row.Snapshot, size, row.Layer is { } l && imageLayers.Contains(l),
                row.Created, row.LastUsed, row.Usage, row.CreatedBy));
        }
        return [.. entries.OrderByDescending(e => e.LastUsed).ThenBy(e => e.Id, StringComparer.Ordinal)];
    }

    /// <summary>Bytes only the build cache holds: each layer blob no image uses, counted once.</summary>
    public static long ExclusiveBytes(IEnumerable<BuildCacheEntry> entries) =>
        entries.Where(e => e.Layer is not null && !e.Shared && e.Size > 0).DistinctBy(e => e.Layer).Sum(e => e.Size);
}
