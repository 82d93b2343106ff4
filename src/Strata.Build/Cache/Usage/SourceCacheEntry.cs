using Strata.Build.Cache.Sources;

namespace Strata.Build.Cache.Usage;

/// <summary>
/// One entry of a build source's cache (an <c>ADD &lt;url&gt;</c> download, an <c>ADD &lt;git
/// repository&gt;</c> clone) as <c>system df</c> and <c>builder prune</c> see it.
/// <see cref="Key"/> is its entry name under <see cref="Cache"/>'s root; <see cref="Url"/> the
/// URL or remote it was fetched from; <see cref="LastUsed"/> the last time a build used it (the
/// mtime of <c>KEY.url</c>); <see cref="InUse"/> while a build holds its lock.
/// </summary>
public sealed record SourceCacheEntry(SourceCacheLayout Cache, string Key, string Url, string Path, long Size, DateTimeOffset CreatedAt, DateTimeOffset LastUsed, bool InUse)
{
    /// <summary>The key's first 25 hex digits, the length of BuildKit's record IDs (and of build cache records here).</summary>
    public string Id => Key[..25];

    /// <summary>BuildKit's record type for it (<c>regular</c> for a download, <c>source.git.checkout</c> for a clone).</summary>
    public string RecordType => Cache.RecordType;

    /// <summary>BuildKit's description of such a record, naming the URL.</summary>
    public string Description => Cache.Describe(Url);
}
