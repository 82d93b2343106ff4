using Strata.Core;

namespace Strata.Build.Cache.Usage;

/// <summary>
/// One build cache record as <c>system df -v</c> and <c>builder prune</c> see it.
/// <see cref="Size"/> is its layer blob's bytes on disk (0 when it made no layer or the blob is
/// gone); <see cref="Shared"/> when an image uses the same layer, so removing the record frees
/// nothing. <see cref="Id"/> is the key's first 25 hex digits (the length of BuildKit's IDs).
/// </summary>
public sealed record BuildCacheEntry(string Id, Digest Key, Digest? Layer, string? Snapshot, long Size, bool Shared, DateTimeOffset CreatedAt, DateTimeOffset LastUsed, long UsageCount, string? Description);
