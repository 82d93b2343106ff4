using System.Collections.Concurrent;
using Strata.Core.Unix;

namespace Strata.Build.Cache;

/// <summary>
/// The stat index of one context root: relative path -> (device, inode, size, mtime, ctime) ->
/// content sha256, so an unchanged context is re-validated with lstat calls only. Thread-safe;
/// entries found stale are replaced and written back by <see cref="BuildCacheStore.SaveStatIndexAsync"/>.
/// </summary>
internal sealed class StatIndex
{
    private readonly ConcurrentDictionary<string, StatEntry> _entries;
    private readonly ConcurrentDictionary<string, StatEntry> _changed = new(StringComparer.Ordinal);

    public StatIndex(string root, IEnumerable<KeyValuePair<string, StatEntry>> entries)
    {
        Root = root;
        _entries = new ConcurrentDictionary<string, StatEntry>(entries, StringComparer.Ordinal);
    }

    public string Root { get; }

    public int Count => _entries.Count;

    /// <summary>Entries hashed since the index was loaded (to write back).</summary>
    public IReadOnlyDictionary<string, StatEntry> Changed => _changed;

    /// <summary>The recorded hash when <paramref name="status"/> still matches what was hashed.</summary>
    public string? TryGet(string path, in FileStatus status)
    {
        if (!_entries.TryGetValue(path, out var e)) return null;
        var now = Of(status, e.Sha256);
        return now == e ? e.Sha256 : null;
    }

    public void Put(string path, in FileStatus status, string sha256)
    {
        var entry = Of(status, sha256);
        _entries[path] = entry;
        _changed[path] = entry;
    }

    public static StatEntry Of(in FileStatus s, string sha256) => new(
        (s.DeviceMajor << 32) | s.DeviceMinor, s.Inode, s.Size,
        (s.MtimeSeconds * 1_000_000_000L) + s.MtimeNanoseconds, (s.CtimeSeconds * 1_000_000_000L) + s.CtimeNanoseconds, sha256);
}
