using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Strata.Core;

namespace Strata.Images.Metadata;

/// <summary>
/// <c>metadata.db</c>: images, tags, layers, containers and leases in SQLite (WAL),
/// so many strata processes can share one store. Each call opens a pooled connection; writes
/// run in <c>BEGIN IMMEDIATE</c> transactions so concurrent writers queue instead of failing.
/// The connection never leaves this room: rooms above keep their own tables through
/// <see cref="MetadataTables"/> and <see cref="IMetadataSession"/>.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The writers' SemaphoreSlim never hands out its wait handle, so it holds nothing to dispose; the store lives as long as its process.")]
public sealed class MetadataStore
{
    /// <summary>SQLITE_IOERR and SQLITE_FULL: how a full disk shows (IOERR when the WAL index cannot grow).</summary>
    private const int SqliteIoErr = 10, SqliteFull = 13;

    /// <summary>Free bytes under which an I/O error is taken for a full disk.</summary>
    private const long NearlyFull = 1 << 20;

    private readonly string _connectionString;
    private readonly Func<bool>? _freeSpace;

    /// <summary>Owners whose tables this process has created or found (once per owner, not per call).</summary>
    private readonly ConcurrentDictionary<string, bool> _ownedTables = new(StringComparer.Ordinal);

    /// <summary>
    /// The write transaction the current async flow runs in, if any. A read or write started
    /// from inside one (a collector asking an owner what it holds during its sweep) joins it:
    /// it sees the sweep's own changes, and cannot wait on the write lock its caller holds.
    /// </summary>
    private readonly AsyncLocal<MetadataTransaction?> _current = new();

    /// <summary>
    /// This process's writers queue here before they ask SQLite for the write lock. Two stages
    /// of one build writing at once would otherwise meet in SQLite's busy handler, which polls
    /// with sleeps of 1, 2, 5, 10... ms; here the next writer starts the moment the last one
    /// commits. Other processes still queue on SQLite's lock (busy_timeout).
    /// </summary>
    private readonly SemaphoreSlim _writers = new(1, 1);

    /// <summary>The pooled SQLite handles <see cref="ConnectAsync"/> has set up (weakly: a handle the pool drops goes).</summary>
    private readonly ConditionalWeakTable<SQLitePCL.sqlite3, MetadataStore> _setUp = new();

    /// <summary>How long a writer waits for this process's other writers before it asks SQLite anyway (as busy_timeout).</summary>
    private static readonly TimeSpan WriterPatience = TimeSpan.FromSeconds(60);

    private MetadataStore(string path, Func<bool>? freeSpace)
    {
        Path = path;
        _freeSpace = freeSpace;
        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true }.ToString();
    }

    public string Path { get; }

    public static Task<MetadataStore> OpenAsync(string path, CancellationToken cancellationToken) => OpenAsync(path, null, cancellationToken);

    /// <summary>
    /// Opens (and creates) the database. A full disk fails with <see cref="NoSpaceException"/>;
    /// <paramref name="freeSpace"/>, when given, is called once per failing operation to free
    /// some room (true when it did) before the operation is tried again.
    /// </summary>
    public static Task<MetadataStore> OpenAsync(string path, Func<bool>? freeSpace, CancellationToken cancellationToken) =>
        OpenAsync(path, freeSpace, [], cancellationToken);

    /// <summary>As above, also creating <paramref name="ownerTables"/> (tables of rooms above) in the same transaction.</summary>
    public static async Task<MetadataStore> OpenAsync(string path, Func<bool>? freeSpace, IReadOnlyList<MetadataTables> ownerTables, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ownerTables);
        var store = new MetadataStore(path, freeSpace);
        bool current = await store.WithSpaceAsync(async ct =>
        {
            await using var connection = await store.ConnectAsync(ct).ConfigureAwait(false);
            await ExecuteAsync(connection, "PRAGMA journal_mode=WAL;", ct).ConfigureAwait(false);
            return await SchemaCheck.IsCurrentAsync(connection, [MetadataSchema.Create, .. ownerTables.Select(t => t.Schema)], ct).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
        // A store made before has every table: no write lock to take (as every command did once, at start).
        if (!current) await store.WriteAsync(async (c, ct) =>
        {
            await ExecuteAsync(c, MetadataSchema.Create, ct).ConfigureAwait(false);
            foreach (var tables in ownerTables) await ExecuteAsync(c, tables.Schema, ct).ConfigureAwait(false);
            await using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT COUNT(*) FROM schema_version";
            if (Convert.ToInt64(await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false), CultureInfo.InvariantCulture) == 0)
                await ExecuteAsync(c, $"INSERT INTO schema_version VALUES ({MetadataSchema.Version})", ct).ConfigureAwait(false);
            return 0;
        }, cancellationToken).ConfigureAwait(false);
        foreach (var tables in ownerTables) store._ownedTables[tables.Owner] = true;
        return store;
    }

    internal async Task<SqliteConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            // The pool hands out the same SQLite handles again, and these settings stay with a
            // handle: each is set up once, not at every call (a no-op build connects ~50 times).
            var handle = connection.Handle!;
            if (!_setUp.TryGetValue(handle, out _))
            {
                // temp_store=MEMORY: sorts and temporary tables never need a file (none can be made on a full disk).
                await ExecuteAsync(connection, "PRAGMA busy_timeout=60000; PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL; PRAGMA temp_store=MEMORY;", cancellationToken).ConfigureAwait(false);
                _setUp.AddOrUpdate(handle, this);
            }
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return connection;
    }

    /// <summary>Runs <paramref name="work"/> on <paramref name="tables"/> in one immediate transaction; rolls back on any exception.</summary>
    public async Task<T> WriteAsync<T>(MetadataTables tables, Func<IMetadataSession, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        await EnsureTablesAsync(tables, cancellationToken).ConfigureAwait(false);
        return await WriteAsync((c, ct) => work(new MetadataSession(c), ct), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs a read of <paramref name="tables"/> with its own connection (WAL readers never block writers).</summary>
    public async Task<T> ReadAsync<T>(MetadataTables tables, Func<IMetadataSession, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        await EnsureTablesAsync(tables, cancellationToken).ConfigureAwait(false);
        return await ReadAsync((c, ct) => work(new MetadataSession(c), ct), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Creates an owner's tables if missing, once per process (idempotent, so racing processes are fine).</summary>
    internal async Task EnsureTablesAsync(MetadataTables tables, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tables);
        if (_ownedTables.ContainsKey(tables.Owner)) return;
        await WriteAsync(async (c, ct) =>
        {
            await ExecuteAsync(c, tables.Schema, ct).ConfigureAwait(false);
            return 0;
        }, cancellationToken).ConfigureAwait(false);
        // Inside a caller's transaction the tables exist only once it commits: check again next time.
        if (_current.Value is null) _ownedTables[tables.Owner] = true;
    }

    /// <summary>
    /// Runs <paramref name="action"/> once what the calling code wrote is committed: at the end
    /// of the write transaction it runs in, or now when it runs in none (never after a rollback).
    /// </summary>
    internal void AfterCommit(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        if (_current.Value is { } transaction) transaction.AfterCommit(action);
        else action();
    }

    /// <summary>Runs <paramref name="work"/> in one immediate transaction; rolls back on any exception.</summary>
    internal Task<T> WriteAsync<T>(Func<SqliteConnection, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (_current.Value is { } joined) return work(joined.Connection, cancellationToken);
        return WithSpaceAsync(ct => WriteOnceAsync(work, ct), cancellationToken);
    }

    private async Task<T> WriteOnceAsync<T>(Func<SqliteConnection, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        bool gated = await _writers.WaitAsync(WriterPatience, cancellationToken).ConfigureAwait(false);
        try
        {
            await using var connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, "BEGIN IMMEDIATE", cancellationToken).ConfigureAwait(false);
            var transaction = new MetadataTransaction(connection);
            T result;
            try
            {
                _current.Value = transaction;
                result = await work(connection, cancellationToken).ConfigureAwait(false);
                _current.Value = null;
                await ExecuteAsync(connection, "COMMIT", CancellationToken.None).ConfigureAwait(false);
            }
            catch
            {
                _current.Value = null;
                await ExecuteAsync(connection, "ROLLBACK", CancellationToken.None).ConfigureAwait(false);
                throw;
            }
            transaction.Committed();
            return result;
        }
        finally
        {
            if (gated) _writers.Release();
        }
    }

    /// <summary>Runs a read with its own connection (WAL readers never block writers).</summary>
    internal Task<T> ReadAsync<T>(Func<SqliteConnection, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (_current.Value is { } joined) return work(joined.Connection, cancellationToken);
        return WithSpaceAsync(async ct =>
        {
            await using var connection = await ConnectAsync(ct).ConfigureAwait(false);
            return await work(connection, ct).ConfigureAwait(false);
        }, cancellationToken);
    }

    /// <summary>
    /// Runs <paramref name="operation"/>; when the disk is full, frees the reserve (if this store
    /// may) and runs it once more, else fails naming the cause instead of SQLite's "disk I/O error".
    /// Retrying is safe: a failed write was rolled back.
    /// </summary>
    private async Task<T> WithSpaceAsync<T>(Func<CancellationToken, Task<T>> operation, CancellationToken cancellationToken)
    {
        try
        {
            return await operation(cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException e) when (IsNoSpace(e))
        {
            if (_freeSpace is null || !_freeSpace())
                throw new NoSpaceException(System.IO.Path.GetDirectoryName(Path) ?? Path, e);
            // Connections of the pool may hold a WAL index they could not map: start afresh.
            SqliteConnection.ClearAllPools();
        }
        try
        {
            return await operation(cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException e) when (IsNoSpace(e))
        {
            throw new NoSpaceException(System.IO.Path.GetDirectoryName(Path) ?? Path, e);
        }
    }

    private bool IsNoSpace(SqliteException e)
    {
        if (e.SqliteErrorCode == SqliteFull) return true;
        if (e.SqliteErrorCode != SqliteIoErr) return false;
        try
        {
            return new DriveInfo(System.IO.Path.GetDirectoryName(Path) ?? "/").AvailableFreeSpace < NearlyFull;
        }
        catch (IOException)
        {
            return false;
        }
    }

    internal static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var cmd = Command(connection, sql, parameters);
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    internal static SqliteCommand Command(SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var cmd = connection.CreateCommand();
#pragma warning disable CA2100 // SQL text is constant; values always go through parameters.
        cmd.CommandText = sql;
#pragma warning restore CA2100
        foreach (var (name, value) in parameters) cmd.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return cmd;
    }

    internal static async Task<List<T>> QueryAsync<T>(SqliteConnection connection, string sql, Func<SqliteDataReader, T> map, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var cmd = Command(connection, sql, parameters);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var list = new List<T>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) list.Add(map(reader));
        return list;
    }

    internal static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    internal static DateTimeOffset ParseTime(string s) => DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    // ---- images ----

    public Task<List<ImageRecord>> ListImagesAsync(CancellationToken cancellationToken) =>
        ReadAsync((c, ct) => QueryAsync(c, "SELECT id, manifest_digest, manifest_media_type, manifest_size, created, size, added_at FROM images", ReadImage, ct), cancellationToken);

    public Task<ImageRecord?> FindImageAsync(Digest id, CancellationToken cancellationToken) =>
        ReadAsync(async (c, ct) => (await QueryAsync(c, "SELECT id, manifest_digest, manifest_media_type, manifest_size, created, size, added_at FROM images WHERE id = $id", ReadImage, ct, ("$id", id.Value)).ConfigureAwait(false)).FirstOrDefault(), cancellationToken);

    /// <summary>Images whose ID starts with <paramref name="hexPrefix"/> (docker's short IDs).</summary>
    public Task<List<ImageRecord>> FindImagesByPrefixAsync(string hexPrefix, CancellationToken cancellationToken) =>
        ReadAsync((c, ct) => QueryAsync(c, "SELECT id, manifest_digest, manifest_media_type, manifest_size, created, size, added_at FROM images WHERE id LIKE $p ESCAPE '\\'", ReadImage, ct, ("$p", "sha256:" + hexPrefix.Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%")), cancellationToken);

    private static ImageRecord ReadImage(SqliteDataReader r) => new(
        Digest.Parse(r.GetString(0)), Digest.Parse(r.GetString(1)), r.GetString(2), r.GetInt64(3),
        r.IsDBNull(4) ? null : ParseTime(r.GetString(4)), r.GetInt64(5), ParseTime(r.GetString(6)));

    /// <summary>Records an image with its layers (bottom first); an existing image keeps its record.</summary>
    internal static async Task PutImageAsync(SqliteConnection c, ImageRecord image, IReadOnlyList<LayerRecord> layers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(layers);
        foreach (var layer in layers) await PutLayerAsync(c, layer, cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(c, """
            INSERT INTO images (id, manifest_digest, manifest_media_type, manifest_size, created, size, added_at)
            VALUES ($id, $m, $mt, $ms, $created, $size, $added)
            ON CONFLICT(id) DO UPDATE SET manifest_digest = excluded.manifest_digest, manifest_media_type = excluded.manifest_media_type, manifest_size = excluded.manifest_size
            """, cancellationToken,
            ("$id", image.Id.Value), ("$m", image.ManifestDigest.Value), ("$mt", image.ManifestMediaType), ("$ms", image.ManifestSize),
            ("$created", image.Created is { } t ? Time(t) : null), ("$size", image.Size), ("$added", Time(image.AddedAt))).ConfigureAwait(false);
        await ExecuteAsync(c, "DELETE FROM image_layers WHERE image_id = $id", cancellationToken, ("$id", image.Id.Value)).ConfigureAwait(false);
        for (int i = 0; i < layers.Count; i++)
        {
            await ExecuteAsync(c, "INSERT INTO image_layers (image_id, position, digest) VALUES ($id, $p, $d)", cancellationToken,
                ("$id", image.Id.Value), ("$p", i), ("$d", layers[i].Digest.Value)).ConfigureAwait(false);
        }
    }

    internal static Task DeleteImageAsync(SqliteConnection c, Digest id, CancellationToken cancellationToken) =>
        ExecuteAsync(c, "DELETE FROM image_layers WHERE image_id = $id; DELETE FROM tags WHERE image_id = $id; DELETE FROM images WHERE id = $id;", cancellationToken, ("$id", id.Value));

    // ---- layers ----

    internal static Task PutLayerAsync(SqliteConnection c, LayerRecord layer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(layer);
        return ExecuteAsync(c, """
            INSERT INTO layers (digest, diff_id, media_type, size, content_size) VALUES ($d, $diff, $mt, $s, $cs)
            ON CONFLICT(digest) DO NOTHING
            """, cancellationToken,
            ("$d", layer.Digest.Value), ("$diff", layer.DiffId.Digest.Value), ("$mt", layer.MediaType), ("$s", layer.Size), ("$cs", layer.ContentSize));
    }

    /// <summary>The layers of an image, bottom first.</summary>
    public Task<List<LayerRecord>> ImageLayersAsync(Digest imageId, CancellationToken cancellationToken) =>
        ReadAsync((c, ct) => QueryAsync(c, """
            SELECT l.digest, l.diff_id, l.media_type, l.size, l.content_size FROM image_layers il
            JOIN layers l ON l.digest = il.digest WHERE il.image_id = $id ORDER BY il.position
            """, ReadLayer, ct, ("$id", imageId.Value)), cancellationToken);

    /// <summary>Every layer blob some image uses (each once).</summary>
    public async Task<HashSet<Digest>> ImageLayerDigestsAsync(CancellationToken cancellationToken) =>
        [.. await ReadAsync((c, ct) => QueryAsync(c, "SELECT DISTINCT digest FROM image_layers", r => Digest.Parse(r.GetString(0)), ct), cancellationToken).ConfigureAwait(false)];

    public Task<List<LayerRecord>> ListLayersAsync(CancellationToken cancellationToken) =>
        ReadAsync((c, ct) => QueryAsync(c, "SELECT digest, diff_id, media_type, size, content_size FROM layers", ReadLayer, ct), cancellationToken);

    /// <summary>A stored layer with this diff ID, if any (to reuse a blob instead of writing it again).</summary>
    public Task<LayerRecord?> FindLayerByDiffIdAsync(DiffId diffId, CancellationToken cancellationToken) =>
        ReadAsync(async (c, ct) => (await QueryAsync(c, "SELECT digest, diff_id, media_type, size, content_size FROM layers WHERE diff_id = $d", ReadLayer, ct, ("$d", diffId.Digest.Value)).ConfigureAwait(false)).FirstOrDefault(), cancellationToken);

    public Task<LayerRecord?> FindLayerAsync(Digest digest, CancellationToken cancellationToken) =>
        ReadAsync(async (c, ct) => (await QueryAsync(c, "SELECT digest, diff_id, media_type, size, content_size FROM layers WHERE digest = $d", ReadLayer, ct, ("$d", digest.Value)).ConfigureAwait(false)).FirstOrDefault(), cancellationToken);

    private static LayerRecord ReadLayer(SqliteDataReader r) =>
        new(Digest.Parse(r.GetString(0)), DiffId.Parse(r.GetString(1)), r.GetString(2), r.GetInt64(3), r.GetInt64(4));

    internal static Task DeleteLayerAsync(SqliteConnection c, Digest digest, CancellationToken cancellationToken) =>
        // A variant's row goes with either of its two blobs.
        ExecuteAsync(c, "DELETE FROM layers WHERE digest = $d; DELETE FROM layer_variants WHERE digest = $d OR variant_digest = $d", cancellationToken, ("$d", digest.Value));

    // ---- tags ----

    public Task<List<TagRecord>> ListTagsAsync(CancellationToken cancellationToken) =>
        ReadAsync((c, ct) => ListTagsAsync(c, ct), cancellationToken);

    internal static Task<List<TagRecord>> ListTagsAsync(SqliteConnection c, CancellationToken cancellationToken) =>
        QueryAsync(c, "SELECT name, image_id, updated_at FROM tags ORDER BY name", r => new TagRecord(ImageReference.Parse(r.GetString(0)), Digest.Parse(r.GetString(1)), ParseTime(r.GetString(2))), cancellationToken);

    public Task<TagRecord?> FindTagAsync(ImageReference name, CancellationToken cancellationToken) =>
        ReadAsync(async (c, ct) => (await QueryAsync(c, "SELECT name, image_id, updated_at FROM tags WHERE name = $n",
            r => new TagRecord(ImageReference.Parse(r.GetString(0)), Digest.Parse(r.GetString(1)), ParseTime(r.GetString(2))), ct, ("$n", name.ToString())).ConfigureAwait(false)).FirstOrDefault(), cancellationToken);

    /// <summary>Points <paramref name="name"/> at <paramref name="imageId"/>; returns the image it pointed at before, if another.</summary>
    internal static async Task<Digest?> PutTagAsync(SqliteConnection c, ImageReference name, Digest imageId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        var previous = await QueryAsync(c, "SELECT image_id FROM tags WHERE name = $n", r => Digest.Parse(r.GetString(0)), cancellationToken, ("$n", name.ToString())).ConfigureAwait(false);
        // A name points at one thing: an image or an index (see IndexTables).
        await ExecuteAsync(c, "DELETE FROM index_tags WHERE name = $n", cancellationToken, ("$n", name.ToString())).ConfigureAwait(false);
        await ExecuteAsync(c, "INSERT INTO tags (name, image_id, updated_at) VALUES ($n, $id, $t) ON CONFLICT(name) DO UPDATE SET image_id = excluded.image_id, updated_at = excluded.updated_at",
            cancellationToken, ("$n", name.ToString()), ("$id", imageId.Value), ("$t", Time(now))).ConfigureAwait(false);
        return previous.Count == 0 || previous[0] == imageId ? null : previous[0];
    }

    internal static Task DeleteTagAsync(SqliteConnection c, ImageReference name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        return ExecuteAsync(c, "DELETE FROM tags WHERE name = $n", cancellationToken, ("$n", name.ToString()));
    }

    // ---- containers ----

    public Task<List<ContainerRecord>> ListContainersAsync(CancellationToken cancellationToken) =>
        ReadAsync((c, ct) => QueryAsync(c, "SELECT id, name, image_id, created_at, state FROM containers",
            r => new ContainerRecord(r.GetString(0), r.GetString(1), Digest.Parse(r.GetString(2)), ParseTime(r.GetString(3)), r.GetString(4)), ct), cancellationToken);

    /// <summary>Records a container (or its new state) for the containers room, which owns the row.</summary>
    public Task PutContainerAsync(ContainerRecord container, CancellationToken cancellationToken) =>
        WriteAsync(async (c, ct) =>
        {
            await PutContainerAsync(c, container, ct).ConfigureAwait(false);
            return 0;
        }, cancellationToken);

    public Task DeleteContainerAsync(string id, CancellationToken cancellationToken) =>
        WriteAsync(async (c, ct) =>
        {
            await DeleteContainerAsync(c, id, ct).ConfigureAwait(false);
            return 0;
        }, cancellationToken);

    internal static Task PutContainerAsync(SqliteConnection c, ContainerRecord container, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(container);
        return ExecuteAsync(c, "INSERT INTO containers (id, name, image_id, created_at, state) VALUES ($id, $n, $img, $t, $s) ON CONFLICT(id) DO UPDATE SET state = excluded.state",
            cancellationToken, ("$id", container.Id), ("$n", container.Name), ("$img", container.ImageId.Value), ("$t", Time(container.CreatedAt)), ("$s", container.State));
    }

    internal static Task DeleteContainerAsync(SqliteConnection c, string id, CancellationToken cancellationToken) =>
        ExecuteAsync(c, "DELETE FROM containers WHERE id = $id", cancellationToken, ("$id", id));
}
