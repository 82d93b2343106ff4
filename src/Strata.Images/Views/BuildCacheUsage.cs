using Strata.Core;
using Strata.Images.Metadata;

namespace Strata.Images.Views;

/// <summary>
/// One build cache record as <c>system df -v</c> and <c>builder prune</c> see it.
/// <see cref="Size"/> is its layer blob's bytes on disk (0 when it made no layer or the blob is
/// gone); <see cref="Shared"/> when an image uses the same layer, so removing the record frees
/// nothing. <see cref="Id"/> is the key's first 25 hex digits (the length of BuildKit's IDs).
/// </summary>
public sealed record BuildCacheEntry(string Id, Digest Key, Digest? Layer, string? Snapshot, long Size, bool Shared, DateTimeOffset CreatedAt, DateTimeOffset LastUsed, long UsageCount, string? Description);

/// <summary>Reads the build cache records of <c>metadata.db</c> with their sizes.</summary>
public static class BuildCacheUsage
{
    public static async Task<List<BuildCacheEntry>> ListAsync(ImageStore store, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var (rows, imageLayers) = await store.Metadata.ReadAsync(async (c, ct) =>
        {
            var records = await MetadataStore.QueryAsync(c, "SELECT b.key, b.layer_digest, b.snapshot, b.created_by, b.created_at, b.last_used, u.count FROM build_cache b LEFT JOIN build_cache_usage u ON u.key = b.key",
                r => (Key: Digest.Parse(r.GetString(0)), Layer: r.IsDBNull(1) ? (Digest?)null : Digest.Parse(r.GetString(1)), Snapshot: r.IsDBNull(2) ? null : r.GetString(2),
                    CreatedBy: r.IsDBNull(3) ? null : r.GetString(3), Created: MetadataStore.ParseTime(r.GetString(4)), LastUsed: MetadataStore.ParseTime(r.GetString(5)), Usage: r.IsDBNull(6) ? 0 : r.GetInt64(6)), ct).ConfigureAwait(false);
            var layers = await MetadataStore.QueryAsync(c, "SELECT DISTINCT digest FROM image_layers", r => Digest.Parse(r.GetString(0)), ct).ConfigureAwait(false);
            return (records, layers.ToHashSet());
        }, cancellationToken).ConfigureAwait(false);
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
