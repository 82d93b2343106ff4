using Microsoft.Data.Sqlite;
using Strata.Content;
using Strata.Core;
using Strata.Images.Metadata;
using Strata.Images.Removal;

namespace Strata.Images.Leases;

/// <summary>
/// The store's leases (containerd's <c>core/leases</c> is the model): rows in
/// <c>metadata.db</c> naming the blobs, snapshots and cache records a live operation holds.
/// <para>
/// The rule that makes them sound across processes: a holder adds a resource to its lease
/// <em>before</em> it looks at the resource (is the blob there, is the snapshot there), and a
/// collector decides and removes inside <see cref="SweepAsync{T}(Func{LeasedResources, CancellationToken, Task{T}}, CancellationToken)"/>,
/// which holds the store's write transaction, so no lease can be added meanwhile. Either the
/// collector ran first (and the holder then finds the resource gone and makes it again), or it
/// sees the lease and keeps the resource.
/// </para>
/// <para>
/// A lease whose process is gone holds nothing: it is tied to its process's pid and start time,
/// and forgotten by the next sweep.
/// </para>
/// </summary>
public sealed class LeaseManager
{
    private readonly MetadataStore _metadata;
    private readonly IContentStore _content;
    private readonly TimeProvider _time;
    private readonly AsyncLocal<StoreLease?> _current = new();

    internal LeaseManager(MetadataStore metadata, IContentStore content, TimeProvider time)
    {
        _metadata = metadata;
        _content = content;
        _time = time;
    }

    /// <summary>The lease of the operation this code runs in, or null (then nothing is held: listing verbs, tests).</summary>
    public StoreLease? Current
    {
        get
        {
            var lease = _current.Value;
            while (lease is { Finished: true }) lease = lease.Previous;
            return lease;
        }
    }

    /// <summary>
    /// Starts a lease and makes it the ambient one of the calling code (inside an existing lease,
    /// a scope of it). Dispose it once the operation's image is recorded.
    /// </summary>
    public StoreLease Begin()
    {
        var lease = new StoreLease(this, Current);
        _current.Value = lease;
        return lease;
    }

    internal void Restore(StoreLease lease, StoreLease? previous)
    {
        if (ReferenceEquals(_current.Value, lease)) _current.Value = previous;
    }

    /// <summary>Holds <paramref name="digest"/> in the current lease, if any.</summary>
    public Task AddBlobAsync(Digest digest, CancellationToken cancellationToken) => AddBlobAsync(digest, brought: false, cancellationToken);

    /// <summary>Holds all of <paramref name="digests"/> in the current lease, if any, in one write (an image's manifest, config and layers).</summary>
    public Task AddBlobsAsync(IEnumerable<Digest> digests, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(digests);
        return Current?.AddAsync([.. digests.Select(d => (LeaseResourceKind.Blob, d.Value))], cancellationToken) ?? Task.CompletedTask;
    }

    /// <summary>Holds a blob about to be written; <paramref name="brought"/>: it was not in the store.</summary>
    internal Task AddBlobAsync(Digest digest, bool brought, CancellationToken cancellationToken) =>
        Current?.AddBlobsAsync([(digest, brought)], cancellationToken) ?? Task.CompletedTask;

    /// <summary>Holds blobs about to be written, in one write; each with whether it was not in the store.</summary>
    internal Task AddBlobsAsync(IReadOnlyList<(Digest Digest, bool Brought)> blobs, CancellationToken cancellationToken) =>
        Current?.AddBlobsAsync(blobs, cancellationToken) ?? Task.CompletedTask;

    /// <summary>Holds the snapshot <paramref name="keyOrName"/> in the current lease, if any.</summary>
    public Task AddSnapshotAsync(string keyOrName, CancellationToken cancellationToken) =>
        Current?.AddAsync(LeaseResourceKind.Snapshot, keyOrName, cancellationToken) ?? Task.CompletedTask;

    /// <summary>Holds the build cache record <paramref name="key"/> in the current lease, if any.</summary>
    public Task AddCacheRecordAsync(string key, CancellationToken cancellationToken) =>
        Current?.AddAsync(LeaseResourceKind.CacheRecord, key, cancellationToken) ?? Task.CompletedTask;

    /// <summary>Adds to a lease owned by <paramref name="owner"/> (this process, except in tests of dead owners).</summary>
    internal Task AddAsync(string leaseId, LeaseResourceKind kind, string resource, LeaseOwner owner, CancellationToken cancellationToken) =>
        AddAsync(leaseId, [(kind, resource)], owner, committed: null, cancellationToken);

    /// <summary>
    /// Adds <paramref name="resources"/> to this process's lease <paramref name="leaseId"/> in one
    /// write (joining the caller's transaction, if any); <paramref name="committed"/> runs once the
    /// rows are committed.
    /// </summary>
    internal Task AddAsync(string leaseId, IReadOnlyList<(LeaseResourceKind Kind, string Resource)> resources, Action committed, CancellationToken cancellationToken) =>
        AddAsync(leaseId, resources, LeaseOwner.Current, committed, cancellationToken);

    private Task AddAsync(string leaseId, IReadOnlyList<(LeaseResourceKind Kind, string Resource)> resources, LeaseOwner owner, Action? committed, CancellationToken cancellationToken) =>
        _metadata.WriteAsync(async (c, ct) =>
        {
            await MetadataStore.ExecuteAsync(c, "INSERT OR IGNORE INTO store_leases (id, pid, pid_start, created_at) VALUES ($id, $pid, $start, $t)",
                ct, ("$id", leaseId), ("$pid", owner.Pid), ("$start", owner.StartTime), ("$t", MetadataStore.Time(_time.GetUtcNow()))).ConfigureAwait(false);
            foreach (var (kind, resource) in resources)
            {
                await MetadataStore.ExecuteAsync(c, "INSERT OR IGNORE INTO lease_resources (lease_id, kind, resource) VALUES ($id, $k, $r)",
                    ct, ("$id", leaseId), ("$k", KindName(kind)), ("$r", resource)).ConfigureAwait(false);
            }
            if (committed is not null) _metadata.AfterCommit(committed);
            return 0;
        }, cancellationToken);

    internal Task ReleaseAsync(string leaseId, CancellationToken cancellationToken) =>
        _metadata.WriteAsync(async (c, ct) =>
        {
            await ForgetAsync(c, leaseId, ct).ConfigureAwait(false);
            return 0;
        }, cancellationToken);

    /// <summary>Ends a failed operation's lease and removes the blobs only it brought (see <see cref="StoreLease.DiscardAsync"/>).</summary>
    internal Task<int> DiscardAsync(string leaseId, IReadOnlyCollection<Digest> brought, CancellationToken cancellationToken) =>
        SweepAsync(async (c, others, ct) =>
        {
            await ForgetAsync(c, leaseId, ct).ConfigureAwait(false);
            if (brought.Count == 0) return 0;
            var referenced = (await ImageRemover.ReferencedAsync(c, ct).ConfigureAwait(false)).Blobs;
            int removed = 0;
            foreach (var blob in brought.Where(b => !referenced.Contains(b) && !others.Blobs.Contains(b)))
            {
                await MetadataStore.DeleteLayerAsync(c, blob, ct).ConfigureAwait(false);
                if (await _content.DeleteAsync(blob, ct).ConfigureAwait(false)) removed++;
            }
            return removed;
        }, leaseId, cancellationToken);

    /// <summary>What the live leases hold now (a snapshot for reports; a collector that removes uses <see cref="SweepAsync{T}(Func{LeasedResources, CancellationToken, Task{T}}, CancellationToken)"/>).</summary>
    public Task<LeasedResources> ReadAsync(CancellationToken cancellationToken) =>
        _metadata.ReadAsync((c, ct) => LiveAsync(c, forgetDead: false, except: null, ct), cancellationToken);

    /// <summary>
    /// Runs a collector's decide-and-remove step with what the live leases hold, inside the
    /// store's write transaction: no lease is added until it returns (so keep it short, and do
    /// not write to <c>metadata.db</c> from it). Leases of dead processes are forgotten first.
    /// </summary>
    public Task<T> SweepAsync<T>(Func<LeasedResources, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        return SweepAsync((_, leased, ct) => work(leased, ct), except: null, cancellationToken);
    }

    /// <summary>
    /// As above, for an owner above the store that removes rows of its own <paramref name="tables"/>
    /// in the same transaction (builder prune drops the records no lease holds).
    /// </summary>
    public async Task<T> SweepAsync<T>(MetadataTables tables, Func<IMetadataSession, LeasedResources, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        await _metadata.EnsureTablesAsync(tables, cancellationToken).ConfigureAwait(false);
        return await SweepAsync((c, leased, ct) => work(new MetadataSession(c), leased, ct), except: null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>As above, with the transaction's connection, for the store's own collectors.</summary>
    internal Task<T> SweepAsync<T>(Func<SqliteConnection, LeasedResources, CancellationToken, Task<T>> work, CancellationToken cancellationToken) =>
        SweepAsync(work, except: null, cancellationToken);

    private Task<T> SweepAsync<T>(Func<SqliteConnection, LeasedResources, CancellationToken, Task<T>> work, string? except, CancellationToken cancellationToken) =>
        _metadata.WriteAsync(async (c, ct) => await work(c, await LiveAsync(c, forgetDead: true, except, ct).ConfigureAwait(false), ct).ConfigureAwait(false), cancellationToken);

    private static async Task<LeasedResources> LiveAsync(SqliteConnection c, bool forgetDead, string? except, CancellationToken cancellationToken)
    {
        var leases = await MetadataStore.QueryAsync(c, "SELECT id, pid, pid_start FROM store_leases",
            r => (Id: r.GetString(0), Owner: new LeaseOwner(r.GetInt32(1), r.GetInt64(2))), cancellationToken).ConfigureAwait(false);
        var live = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (id, owner) in leases)
        {
            if (owner.IsAlive) live.Add(id);
            else if (forgetDead) await ForgetAsync(c, id, cancellationToken).ConfigureAwait(false);
        }
        if (except is not null) live.Remove(except);
        var blobs = new HashSet<Digest>();
        var snapshots = new HashSet<string>(StringComparer.Ordinal);
        var records = new HashSet<string>(StringComparer.Ordinal);
        if (live.Count == 0) return new LeasedResources(blobs, snapshots, records);
        var rows = await MetadataStore.QueryAsync(c, "SELECT lease_id, kind, resource FROM lease_resources",
            r => (Lease: r.GetString(0), Kind: r.GetString(1), Resource: r.GetString(2)), cancellationToken).ConfigureAwait(false);
        foreach (var row in rows.Where(r => live.Contains(r.Lease)))
        {
            switch (row.Kind)
            {
                case "blob" when Digest.TryParse(row.Resource, out var digest):
                    blobs.Add(digest);
                    break;
                case "snapshot":
                    snapshots.Add(row.Resource);
                    break;
                case "cache":
                    records.Add(row.Resource);
                    break;
            }
        }
        return new LeasedResources(blobs, snapshots, records);
    }

    private static Task ForgetAsync(SqliteConnection c, string leaseId, CancellationToken cancellationToken) =>
        MetadataStore.ExecuteAsync(c, "DELETE FROM lease_resources WHERE lease_id = $id; DELETE FROM store_leases WHERE id = $id;", cancellationToken, ("$id", leaseId));

    private static string KindName(LeaseResourceKind kind) => kind switch
    {
        LeaseResourceKind.Blob => "blob",
        LeaseResourceKind.Snapshot => "snapshot",
        LeaseResourceKind.CacheRecord => "cache",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown lease resource kind"),
    };
}
