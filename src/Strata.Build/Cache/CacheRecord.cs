using Strata.Core;

namespace Strata.Build.Cache;

/// <summary>
/// What a step produced, by key: its layer (null when it made none or is a metadata step), the
/// committed snapshot holding the stack, and its history entry's text and time (reused so a
/// cached rebuild gives the same image ID).
/// </summary>
internal sealed record CacheRecord(CacheKey Key, Digest? Layer, string? Snapshot, string? CreatedBy, DateTimeOffset? HistoryCreated);
