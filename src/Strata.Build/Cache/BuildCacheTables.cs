using Strata.Images.Metadata;

namespace Strata.Build.Cache;

/// <summary>
/// The build cache's tables in <c>metadata.db</c>, owned by this room (only
/// <see cref="BuildCacheStore"/>, <see cref="BuildCacheUsage"/> and <see cref="BuildCachePruner"/>
/// read or write them). The statements are the ones the store used to run itself, so an existing
/// store's tables are taken over as they are. The CLI registers them to be created when a store
/// opens (<c>ImageStoreOptions.OwnerTables</c>).
/// </summary>
public static class BuildCacheTables
{
    public static MetadataTables Tables { get; } = new("build-cache", """
            CREATE TABLE IF NOT EXISTS build_cache (
                key TEXT PRIMARY KEY,
                layer_digest TEXT,
                snapshot TEXT,
                created_by TEXT,
                history_created TEXT,
                created_at TEXT NOT NULL,
                last_used TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS build_cache_usage (
                key TEXT PRIMARY KEY,
                count INTEGER NOT NULL);
            CREATE TABLE IF NOT EXISTS build_inputs (
                dockerfile TEXT NOT NULL,
                target TEXT NOT NULL,
                inputs TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                PRIMARY KEY (dockerfile, target));
            CREATE TABLE IF NOT EXISTS snapshot_file_sums (
                snapshot TEXT NOT NULL,
                selection TEXT NOT NULL,
                files TEXT NOT NULL,
                PRIMARY KEY (snapshot, selection));
            CREATE TABLE IF NOT EXISTS build_step_inputs (
                key TEXT PRIMARY KEY,
                inputs TEXT NOT NULL,
                created_at TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS context_stat (
                root TEXT NOT NULL,
                path TEXT NOT NULL,
                dev INTEGER NOT NULL,
                inode INTEGER NOT NULL,
                size INTEGER NOT NULL,
                mtime_ns INTEGER NOT NULL,
                ctime_ns INTEGER NOT NULL,
                sha256 TEXT NOT NULL,
                PRIMARY KEY (root, path));
            """);
}
