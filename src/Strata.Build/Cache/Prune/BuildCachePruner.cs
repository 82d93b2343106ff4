using Strata.Build.Cache.Usage;
using Strata.Core;
using Strata.Images;
using Strata.Images.Gc;

namespace Strata.Build.Cache.Prune;

/// <summary>
/// <c>builder prune</c> (and the build cache part of <c>system prune</c>): removes build cache
/// records, idle cache mount instances and idle ADD &lt;url&gt; downloads and ADD &lt;git&gt;
/// clones, least recently used first, then every layer blob (and its layer row) that no image
/// and no remaining record uses. Image layers are never freed here: an image keeps its blobs.
/// </summary>
public static class BuildCachePruner
{
    public static async Task<PruneReport> PruneAsync(ImageStore store, BuildCachePruneOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        var entries = await BuildCacheUsage.ListAsync(store, cancellationToken).ConfigureAwait(false);
        var mounts = CacheMountUsage.List(store.Layout);
        var sources = store.Layout.SourceCaches.SelectMany(SourceCacheUsage.List).ToList();
        var now = store.Now;
        bool Unused(DateTimeOffset lastUsed) => options.UnusedFor is not { } age || now - lastUsed > age;
        // Cache mounts, downloads and clones are pruned without --all too, as BuildKit's
        // exec.cachemount, "http url" and source.git.checkout records (neither internal nor
        // frontend, never shared) are; one a running build holds is never touched.
        var candidates = entries
            .Where(e => Unused(e.LastUsed))
            .Where(e => options.All || (e.Layer is not null && (!e.Shared || e.Size == 0)))
            .Select(e => new Candidate(e.LastUsed, e.Id, e.Size) { Record = e })
            .Concat(mounts.Where(m => !m.InUse && Unused(m.LastUsed)).Select(m => new Candidate(m.LastUsed, m.Name, m.Size) { Mount = m }))
            .Concat(sources.Where(s => !s.InUse && Unused(s.LastUsed)).Select(s => new Candidate(s.LastUsed, s.Id, s.Size) { Source = s }))
            .OrderBy(c => c.LastUsed).ThenBy(c => c.Id, StringComparer.Ordinal)
            .ToList();
        // A crashed creation's or removal's directory is garbage whatever the flags.
        long reclaimed = CacheMountRemover.RemoveLeftovers(store.Layout) + store.Layout.SourceCaches.Sum(SourceCacheRemover.RemoveLeftovers);
        // The budget counts each blob only the cache holds once (removing a record frees its blob
        // only when no other record shares it) plus every cache mount's, download's and clone's bytes.
        var remaining = entries.ToList();
        long directoryBytes = mounts.Sum(m => m.Size) + sources.Sum(s => s.Size);
        long total = BuildCacheUsage.ExclusiveBytes(remaining) + directoryBytes;
        var victims = new List<BuildCacheEntry>();
        var deleted = new List<string>();
        foreach (var candidate in candidates)
        {
            if (options.KeepStorage > 0 && total <= options.KeepStorage) break;
            if (candidate.Record is { } entry)
            {
                victims.Add(entry);
                remaining.Remove(entry);
            }
            else if ((candidate.Mount is { } mount && CacheMountRemover.TryRemove(store.Layout, mount))
                || (candidate.Source is { } source && SourceCacheRemover.TryRemove(source)))
            {
                // A build may have taken it since the listing: then it is kept, and still counted.
                deleted.Add(candidate.Id);
                directoryBytes -= candidate.Size;
                reclaimed += candidate.Size;
            }
            total = BuildCacheUsage.ExclusiveBytes(remaining) + directoryBytes;
        }
        if (victims.Count == 0) return new PruneReport(deleted, reclaimed);

        // Decided and removed inside the lease sweep (no build can lease meanwhile): a record or
        // blob a running build holds stays, and is not reported. The blobs go through the store's
        // collector, asked inside the same transaction, so it sees the records as just removed.
        var (kept, freedBytes) = await store.Leases.SweepAsync(BuildCacheTables.Tables, async (s, leased, ct) =>
        {
            var held = victims.Where(v => leased.CacheRecords.Contains(v.Key.Value)).ToHashSet();
            foreach (var victim in victims.Where(v => !held.Contains(v)))
                await s.ExecuteAsync("DELETE FROM build_cache WHERE key = $k; DELETE FROM build_cache_usage WHERE key = $k;", ct, ("$k", victim.Key.Value)).ConfigureAwait(false);
            var blobs = victims.Where(v => !held.Contains(v)).Select(v => v.Layer).OfType<Digest>().Distinct().ToList();
            var sizes = new Dictionary<Digest, long>();
            foreach (var blob in blobs)
                if (await store.Content.InfoAsync(blob, ct).ConfigureAwait(false) is { } info) sizes[blob] = info.Size;
            var gc = new GarbageCollector(store, [new BuildCacheReferences(store)], null);
            var removed = await gc.SweepBlobsAsync(blobs, new HashSet<Digest>(), ct).ConfigureAwait(false);
            return (held, removed.Sum(d => sizes.GetValueOrDefault(d)));
        }, cancellationToken).ConfigureAwait(false);
        reclaimed += freedBytes;
        return new PruneReport([.. victims.Where(v => !kept.Contains(v)).Select(v => v.Id), .. deleted], reclaimed);
    }

    /// <summary>One thing prune may remove: a record, a cache mount instance or a download or clone (exactly one is set).</summary>
    private sealed record Candidate(DateTimeOffset LastUsed, string Id, long Size)
    {
        public BuildCacheEntry? Record { get; init; }

        public CacheMountEntry? Mount { get; init; }

        public SourceCacheEntry? Source { get; init; }
    }
}
