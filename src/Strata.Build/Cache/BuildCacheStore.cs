using System.Globalization;
using Strata.Core;
using Strata.Images.Metadata;

namespace Strata.Build.Cache;

/// <summary>
/// The build cache's tables in <c>metadata.db</c> (<see cref="BuildCacheTables"/>): cache records
/// by key, the previous build's per-step inputs by Dockerfile + target, and the context stat index.
/// </summary>
internal sealed class BuildCacheStore
{
    private readonly MetadataStore _metadata;

    public BuildCacheStore(MetadataStore metadata) => _metadata = metadata;

    private static MetadataTables Tables => BuildCacheTables.Tables;

    public Task<CacheRecord?> FindAsync(CacheKey key, CancellationToken cancellationToken) =>
        _metadata.ReadAsync(Tables, async (s, ct) =>
            (await s.QueryAsync("SELECT layer_digest, snapshot, created_by, history_created FROM build_cache WHERE key = $k", r => new CacheRecord(key,
                r.IsNull(0) ? null : Digest.Parse(r.GetString(0)),
                r.IsNull(1) ? null : r.GetString(1),
                r.IsNull(2) ? null : r.GetString(2),
                r.IsNull(3) ? null : ParseTime(r.GetString(3))), ct, ("$k", key.ToString())).ConfigureAwait(false)).FirstOrDefault(), cancellationToken);

    public Task PutAsync(CacheRecord record, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        return _metadata.WriteAsync(Tables, async (s, ct) =>
        {
            await s.ExecuteAsync("""
                INSERT INTO build_cache (key, layer_digest, snapshot, created_by, history_created, created_at, last_used)
                VALUES ($k, $l, $s, $cb, $hc, $now, $now)
                ON CONFLICT(key) DO UPDATE SET layer_digest = excluded.layer_digest, snapshot = excluded.snapshot,
                    created_by = excluded.created_by, history_created = excluded.history_created, last_used = excluded.last_used
                """, ct, ("$k", record.Key.ToString()), ("$l", record.Layer?.ToString()), ("$s", record.Snapshot), ("$cb", record.CreatedBy),
                ("$hc", record.HistoryCreated is { } t ? Time(t) : null), ("$now", Time(now))).ConfigureAwait(false);
            return await s.ExecuteAsync(CountUse, ct, ("$k", record.Key.ToString())).ConfigureAwait(false);
        }, cancellationToken);
    }

    /// <summary>One more use of a record: the run that made it, then every build that hit it (<c>system df -v</c>'s USAGE).</summary>
    private const string CountUse = "INSERT INTO build_cache_usage (key, count) VALUES ($k, 1) ON CONFLICT(key) DO UPDATE SET count = count + 1";

    /// <summary>Marks records as used now (builder prune's least-recently-used order and its until filter).</summary>
    public Task TouchAsync(IReadOnlyCollection<CacheKey> keys, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.Count == 0) return Task.CompletedTask;
        return _metadata.WriteAsync(Tables, async (s, ct) =>
        {
            foreach (var key in keys)
            {
                await s.ExecuteAsync("UPDATE build_cache SET last_used = $now WHERE key = $k", ct, ("$k", key.ToString()), ("$now", Time(now))).ConfigureAwait(false);
                await s.ExecuteAsync(CountUse, ct, ("$k", key.ToString())).ConfigureAwait(false);
            }
            return 0;
        }, cancellationToken);
    }

    /// <summary>The previous build's step keys (JSON: slot -> key) for this Dockerfile and target, or null.</summary>
    public Task<string?> LoadInputsAsync(string dockerfile, string target, CancellationToken cancellationToken) =>
        ScalarAsync("SELECT inputs FROM build_inputs WHERE dockerfile = $d AND target = $t", cancellationToken, ("$d", dockerfile), ("$t", target));

    public Task SaveInputsAsync(string dockerfile, string target, string inputs, DateTimeOffset now, CancellationToken cancellationToken) =>
        _metadata.WriteAsync(Tables, (s, ct) => s.ExecuteAsync("""
            INSERT INTO build_inputs (dockerfile, target, inputs, updated_at) VALUES ($d, $t, $i, $now)
            ON CONFLICT(dockerfile, target) DO UPDATE SET inputs = excluded.inputs, updated_at = excluded.updated_at
            """, ct, ("$d", dockerfile), ("$t", target), ("$i", inputs), ("$now", Time(now))), cancellationToken);

    /// <summary>A step's inputs (JSON) by its key, or null.</summary>
    public Task<string?> LoadStepInputsAsync(CacheKey key, CancellationToken cancellationToken) =>
        ScalarAsync("SELECT inputs FROM build_step_inputs WHERE key = $k", cancellationToken, ("$k", key.ToString()));

    /// <summary>Keeps the inputs of steps that ran, by key (the same key always has the same inputs).</summary>
    public Task SaveStepInputsAsync(IReadOnlyCollection<KeyValuePair<CacheKey, string>> inputs, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Count == 0) return Task.CompletedTask;
        return _metadata.WriteAsync(Tables, (s, ct) => s.ExecuteEachAsync(
            "INSERT INTO build_step_inputs (key, inputs, created_at) VALUES ($k, $i, $now) ON CONFLICT(key) DO NOTHING",
            inputs.Select(i => new (string, object?)[] { ("$k", i.Key.ToString()), ("$i", i.Value), ("$now", Time(now)) }), ct), cancellationToken);
    }

    /// <summary>
    /// The checksums of a selection from a committed snapshot (JSON), or null. A committed
    /// snapshot is named by its chain ID and never changes, so the answer never goes stale.
    /// </summary>
    public Task<string?> LoadSnapshotFilesAsync(string snapshot, string selection, CancellationToken cancellationToken) =>
        ScalarAsync("SELECT files FROM snapshot_file_sums WHERE snapshot = $s AND selection = $sel", cancellationToken, ("$s", snapshot), ("$sel", selection));

    public Task SaveSnapshotFilesAsync(string snapshot, string selection, string files, CancellationToken cancellationToken) =>
        _metadata.WriteAsync(Tables, (s, ct) => s.ExecuteAsync(
            "INSERT INTO snapshot_file_sums (snapshot, selection, files) VALUES ($s, $sel, $f) ON CONFLICT(snapshot, selection) DO NOTHING",
            ct, ("$s", snapshot), ("$sel", selection), ("$f", files)), cancellationToken);

    public Task<StatIndex> LoadStatIndexAsync(string root, CancellationToken cancellationToken) =>
        _metadata.ReadAsync(Tables, async (s, ct) => new StatIndex(root, await s.QueryAsync(
            "SELECT path, dev, inode, size, mtime_ns, ctime_ns, sha256 FROM context_stat WHERE root = $r",
            r => new KeyValuePair<string, StatEntry>(r.GetString(0), new StatEntry(r.GetInt64(1), r.GetInt64(2), r.GetInt64(3), r.GetInt64(4), r.GetInt64(5), r.GetString(6))),
            ct, ("$r", root)).ConfigureAwait(false)), cancellationToken);

    /// <summary>Writes back the entries hashed in this build, in one transaction.</summary>
    public Task SaveStatIndexAsync(StatIndex index, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(index);
        if (index.Changed.Count == 0) return Task.CompletedTask;
        return _metadata.WriteAsync(Tables, (s, ct) => s.ExecuteEachAsync("""
            INSERT INTO context_stat (root, path, dev, inode, size, mtime_ns, ctime_ns, sha256) VALUES ($r, $p, $dev, $ino, $size, $m, $c, $h)
            ON CONFLICT(root, path) DO UPDATE SET dev = excluded.dev, inode = excluded.inode, size = excluded.size,
                mtime_ns = excluded.mtime_ns, ctime_ns = excluded.ctime_ns, sha256 = excluded.sha256
            """, index.Changed.Select(c => new (string, object?)[]
            {
                ("$r", index.Root), ("$p", c.Key), ("$dev", c.Value.Device), ("$ino", c.Value.Inode), ("$size", c.Value.Size),
                ("$m", c.Value.MtimeNs), ("$c", c.Value.CtimeNs), ("$h", c.Value.Sha256),
            }), ct), cancellationToken);
    }

    private Task<string?> ScalarAsync(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters) =>
        _metadata.ReadAsync(Tables, async (s, ct) => (await s.QueryAsync(sql, r => r.GetString(0), ct, parameters).ConfigureAwait(false)).FirstOrDefault(), cancellationToken);

    internal static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    internal static DateTimeOffset ParseTime(string s) => DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
}
