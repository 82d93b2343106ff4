namespace Strata.Build.Cache;

/// <summary>
/// One step in the <see cref="InlineCache.Label"/> label: its chained key, its history entry's
/// index and its layer's index (-1: none). <see cref="Link"/> is the parent-independent key of a
/// COPY/ADD --link step (null, and left out of the JSON, for every other step), so a store that
/// only has this image can still rebase that layer onto another base. Labels written before the
/// link key existed have no <c>link</c> and still read.
/// </summary>
internal sealed record InlineCacheEntry(string Key, int History, int Layer)
{
    public string? Link { get; init; }
}
