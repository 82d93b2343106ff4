using System.Globalization;
using System.Text.Json;
using Strata.Core;
using Strata.Core.Unix;
using Strata.Snapshots.Files;

namespace Strata.Snapshots.Metadata;

/// <summary>
/// The metadata and directories shared by both snapshotters, in one root:
/// <code>
/// metadata.json    the SnapshotTable, replaced atomically (write, fsync, rename, fsync dir)
/// metadata.lock    flock'ed around every read-modify-write, across processes
/// snapshots/&lt;id&gt;/  one directory per snapshot; its layout is the snapshotter's
/// </code>
/// Readers that change nothing read metadata.json without the lock: the rename makes every
/// version they can see complete. Writers hold an in-process semaphore first so tasks of one
/// process queue instead of polling the file lock against each other.
/// </summary>
// SemaphoreSlim needs disposing only when its wait handle is used, which this never does.
#pragma warning disable CA1001
internal sealed class SnapshotStore
#pragma warning restore CA1001
{
    private const string RemovedPrefix = "rm-";
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly SnapshotterOptions _options;
    private bool _cleaned;

    public SnapshotStore(string root, SnapshotterOptions options)
    {
        ArgumentNullException.ThrowIfNull(root);
        // Overlay's option string separates with ',' and lowerdir with ':'; a root containing
        // them could not be described without escapes the kernel parses differently by version.
        if (!Path.IsPathFullyQualified(root) || root.AsSpan().IndexOfAny(",:\\") >= 0)
            throw new InvalidArgumentException($"snapshot root {root} must be an absolute path without ',', ':' or '\\'");
        Root = Path.TrimEndingDirectorySeparator(root);
        _options = options;
        Directory.CreateDirectory(SnapshotsDirectory);
        // Each snapshot's tree in a block group of its own: see Libc.TryMarkTopDirectory.
        _ = Libc.TryMarkTopDirectory(SnapshotsDirectory);
    }

    public string Root { get; }

    public string SnapshotsDirectory => Path.Combine(Root, "snapshots");

    private string MetadataPath => Path.Combine(Root, "metadata.json");

    private string LockPath => Path.Combine(Root, "metadata.lock");

    public string DirectoryOf(SnapshotRecord record) =>
        Path.Combine(SnapshotsDirectory, record.Id.ToString(CultureInfo.InvariantCulture));

    /// <summary>The current table, without taking the lock.</summary>
    public SnapshotTable Read()
    {
        try
        {
            byte[] json;
            using (var stream = new FileStream(MetadataPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
            {
                json = new byte[stream.Length];
                stream.ReadExactly(json);
            }
            // Read by hand, written by the serializer (see SnapshotTableReader).
            var table = SnapshotTableReader.Read(json)
                ?? throw new InvalidDataException($"snapshot metadata {MetadataPath} is empty");
            // A newer Strata may lay snapshots out differently: refuse rather than guess.
            if (table.Version != 1)
                throw new FailedPreconditionException($"snapshot metadata {MetadataPath} has version {table.Version}; this Strata reads version 1");
            table.RemoveLost(_options.BootId);
            return table;
        }
        catch (FileNotFoundException)
        {
            return new SnapshotTable();
        }
    }

    /// <summary>The record for <paramref name="key"/>, or a <see cref="NotFoundException"/>.</summary>
    public static SnapshotRecord Get(SnapshotTable table, string key) =>
        table.Find(ValidKey(key)) ?? throw new NotFoundException($"snapshot {key} does not exist");

    /// <summary>
    /// Creates a snapshot record and its directory. <paramref name="populate"/> fills the new
    /// directory (given the parent chain, top first) while the lock is held; if it throws, the
    /// directory is deleted and the table is left as it was.
    /// </summary>
    public Task<(SnapshotRecord Record, List<SnapshotRecord> Chain)> CreateAsync(
        string key, string? parent, SnapshotKind kind, Action<string, List<SnapshotRecord>> populate, CancellationToken cancellationToken) =>
        CreateAsync(key, parent, kind, populate, unsynced: false, cancellationToken);

    /// <summary>As above; <paramref name="unsynced"/> labels the snapshot with this boot's id (see <see cref="SnapshotRecord.UnsyncedBootLabel"/>).</summary>
    public Task<(SnapshotRecord Record, List<SnapshotRecord> Chain)> CreateAsync(
        string key, string? parent, SnapshotKind kind, Action<string, List<SnapshotRecord>> populate, bool unsynced, CancellationToken cancellationToken)
    {
        ValidKey(key);
        if (parent is not null) ValidKey(parent);
        return UpdateAsync(table =>
        {
            if (table.Find(key) is { } existing)
                throw new AlreadyExistsException($"snapshot {key} already exists ({existing.Kind.ToString().ToLowerInvariant()})");
            List<SnapshotRecord> chain = [];
            if (parent is not null)
            {
                var parentRecord = table.Find(parent) ?? throw new NotFoundException($"parent snapshot {parent} of {key} does not exist");
                if (parentRecord.Kind != SnapshotKind.Committed)
                    throw new FailedPreconditionException($"parent snapshot {parent} of {key} is {parentRecord.Kind.ToString().ToLowerInvariant()}, not committed");
                chain = table.ChainOf(parent);
            }
            Dictionary<string, string> labels = unsynced ? new() { [SnapshotRecord.UnsyncedBootLabel] = _options.BootId } : [];
            var record = new SnapshotRecord(table.NextId++, key, kind, parent, _options.Time.GetUtcNow(), labels);
            string dir = DirectoryOf(record);
            // Only a crash between mkdir and the metadata write leaves this behind; the id was
            // never recorded, so nothing can refer to it.
            if (Directory.Exists(dir)) Tree.Delete(dir);
            Directory.CreateDirectory(dir);
            try
            {
                populate(dir, chain);
            }
            catch
            {
                Tree.Delete(dir);
                throw;
            }
            table.Snapshots.Add(record);
            return (record, chain);
        }, cancellationToken);
    }

    /// <summary>Renames the active <paramref name="key"/> to the committed <paramref name="name"/>.</summary>
    public Task<SnapshotRecord> CommitAsync(string name, string key, CancellationToken cancellationToken)
    {
        ValidKey(name);
        ValidKey(key);
        return UpdateAsync(table =>
        {
            var record = Get(table, key);
            if (record.Kind != SnapshotKind.Active)
                throw new FailedPreconditionException($"snapshot {key} is {record.Kind.ToString().ToLowerInvariant()}, only an active snapshot can be committed");
            if (table.Find(name) is not null) throw new AlreadyExistsException($"snapshot {name} already exists");
            var committed = record with { Key = name, Kind = SnapshotKind.Committed };
            table.Snapshots[table.Snapshots.IndexOf(record)] = committed;
            return committed;
        }, cancellationToken);
    }

    /// <summary>The boot id that marks unsynced snapshots (see <see cref="SnapshotterOptions.BootId"/>).</summary>
    public string BootId => _options.BootId;

    /// <summary>
    /// Drops the unsynced label of <paramref name="keys"/>: their data has been synced since
    /// (the caller synced the filesystem first), so a reboot keeps them.
    /// </summary>
    public Task MarkSyncedAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken) =>
        UpdateAsync(table =>
        {
            foreach (var record in table.Snapshots.Where(s => keys.Contains(s.Key)))
                record.Labels?.Remove(SnapshotRecord.UnsyncedBootLabel);
            return 0;
        }, cancellationToken);

    /// <summary>
    /// Forgets <paramref name="key"/> and deletes its directory. The directory is renamed aside
    /// under the lock once the metadata no longer has it, so a crash at any point leaves either
    /// the record and its whole directory, or an unowned directory that the next writer sweeps;
    /// never a record pointing at a half-deleted tree.
    /// </summary>
    public async Task RemoveAsync(string key, CancellationToken cancellationToken)
    {
        ValidKey(key);
        string aside = "";
        await UpdateAsync(table =>
        {
            var record = Get(table, key);
            if (record.Kind == SnapshotKind.Committed && table.Snapshots.Find(s => s.Parent == key) is { } child)
                throw new FailedPreconditionException($"snapshot {key} is the parent of {child.Key}; remove its children first");
            table.Snapshots.Remove(record);
            return record;
        }, record =>
        {
            string dir = DirectoryOf(record);
            aside = Path.Combine(SnapshotsDirectory, RemovedPrefix + record.Id.ToString(CultureInfo.InvariantCulture));
            if (Directory.Exists(dir)) Directory.Move(dir, aside);
        }, cancellationToken).ConfigureAwait(false);
        // Outside the lock: a big tree takes a while and nothing refers to it any more.
        if (Directory.Exists(aside)) Tree.Delete(aside);
    }

    /// <summary>
    /// Runs <paramref name="change"/> on the current table under both locks and writes the table
    /// back unless it throws; then, still under the locks, <paramref name="afterWrite"/>.
    /// </summary>
    private Task<T> UpdateAsync<T>(Func<SnapshotTable, T> change, CancellationToken cancellationToken) =>
        UpdateAsync(change, null, cancellationToken);

    private async Task<T> UpdateAsync<T>(Func<SnapshotTable, T> change, Action<T>? afterWrite, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var handle = Libc.OpenLockFile(LockPath, create: true);
            var deadline = DateTime.UtcNow + _options.LockTimeout;
            // flock has no timeout and a blocking wait would pin a thread-pool thread, so poll;
            // contention between processes is rare and short (metadata changes, one tree copy).
            while (!Libc.TryFlockExclusive(handle, LockPath))
            {
                if (DateTime.UtcNow > deadline)
                    throw new FailedPreconditionException($"snapshot root {Root} is locked by another process (waited {_options.LockTimeout})");
                await Task.Delay(10, cancellationToken).ConfigureAwait(false);
            }
            var table = Read();
            if (!_cleaned)
            {
                SweepOrphans(table);
                _cleaned = true;
            }
            T result = change(table);
            Write(table);
            afterWrite?.Invoke(result);
            return result;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Deletes directories no record owns: <c>rm-</c> leftovers of an interrupted remove and ids
    /// created by a prepare that crashed before its metadata write. Only safe under the lock.
    /// </summary>
    private void SweepOrphans(SnapshotTable table)
    {
        var owned = table.Snapshots.Select(s => s.Id.ToString(CultureInfo.InvariantCulture)).ToHashSet(StringComparer.Ordinal);
        foreach (string dir in Directory.EnumerateDirectories(SnapshotsDirectory))
        {
            string name = Path.GetFileName(dir);
            if (owned.Contains(name)) continue;
            // Leave anything not ours (a stray probe directory, an operator's file) alone.
            bool isId = long.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out _);
            if (isId || name.StartsWith(RemovedPrefix, StringComparison.Ordinal))
            {
                try
                {
                    Tree.Delete(dir);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // Still mounted somewhere, most likely: the next sweep tries again.
                }
            }
        }
    }

    private void Write(SnapshotTable table)
    {
        string temp = MetadataPath + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            JsonSerializer.Serialize(stream, table, SnapshotsJsonContext.Default.SnapshotTable);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temp, MetadataPath, overwrite: true);
        Libc.FsyncDirectory(Root);
    }

    private static string ValidKey(string key)
    {
        if (string.IsNullOrEmpty(key)) throw new InvalidArgumentException("a snapshot key or name must not be empty");
        return key;
    }
}
