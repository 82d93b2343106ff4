namespace Strata.Images.Views;

/// <summary>
/// One <c>ADD &lt;url&gt;</c> download as <c>system df</c> and <c>builder prune</c> see it
/// (BuildKit keeps an http source as a regular cache record described "http url URL").
/// <see cref="Key"/> is its entry name under <c>&lt;store&gt;/http-cache/</c>;
/// <see cref="LastUsed"/> the last fetch (the mtime of <c>KEY.url</c>); <see cref="InUse"/>
/// while a build holds its lock (fetching it right now).
/// </summary>
public sealed record DownloadCacheEntry(string Key, string Url, string Path, long Size, DateTimeOffset CreatedAt, DateTimeOffset LastUsed, bool InUse)
{
    /// <summary>The key's first 25 hex digits, the length of BuildKit's record IDs (and of build cache records here).</summary>
    public string Id => Key[..25];
}
