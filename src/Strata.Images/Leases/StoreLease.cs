using System.Collections.Concurrent;
using Strata.Core;

namespace Strata.Images.Leases;

/// <summary>
/// What one operation (a build, load, import, commit) holds in the store until its image is
/// recorded, as a containerd lease: blobs, snapshots and cache records added to it are GC roots
/// for as long as the lease lives. It lives in <c>metadata.db</c> (so a prune in another process
/// sees it) until disposed, or until its process dies (<see cref="LeaseOwner"/>). Begun with
/// <see cref="LeaseManager.Begin"/>, it is the ambient lease of the code that runs inside it
/// (async calls included), so the store's writers add to it without being handed it.
/// </summary>
public sealed class StoreLease : IAsyncDisposable
{
    private readonly LeaseManager _manager;
    private readonly StoreLease? _previous;
    private readonly StoreLease? _root;
    private readonly ConcurrentDictionary<Digest, bool> _brought;

    /// <summary>
    /// What this lease's rows already hold, committed (shared with its scopes, as the rows are):
    /// adding it again writes nothing. A row stays until the lease ends (its process is alive, so
    /// no sweep forgets it), so a resource found here is held as surely as after a fresh write;
    /// a no-op rebuild that uses one base image in three stages leases its blobs once.
    /// </summary>
    private readonly ConcurrentDictionary<(LeaseResourceKind Kind, string Resource), bool> _held;

    private int _finished;

    internal StoreLease(LeaseManager manager, StoreLease? previous)
    {
        _manager = manager;
        _previous = previous;
        // Inside another operation's lease (a build importing an OCI layout): everything goes to
        // the outer lease, which keeps it until the outer operation's image is recorded.
        _root = previous?.Root;
        Id = _root?.Id ?? "lease-" + Guid.NewGuid().ToString("N");
        _brought = _root?._brought ?? new ConcurrentDictionary<Digest, bool>();
        _held = _root?._held ?? new ConcurrentDictionary<(LeaseResourceKind, string), bool>();
    }

    public string Id { get; }

    private StoreLease Root => _root ?? this;

    /// <summary>The lease that was ambient before this one began.</summary>
    internal StoreLease? Previous => _previous;

    /// <summary>Disposed or discarded: adds go to <see cref="Previous"/> instead.</summary>
    internal bool Finished => Volatile.Read(ref _finished) != 0;

    /// <summary>Blobs this operation wrote that were not in the store before (what a failed operation takes back).</summary>
    public IReadOnlyCollection<Digest> Brought => [.. _brought.Keys];

    /// <summary>Holds <paramref name="resource"/>; add before looking at it, so a GC that runs meanwhile either sees the lease or has already removed it.</summary>
    public Task AddAsync(LeaseResourceKind kind, string resource, CancellationToken cancellationToken) =>
        AddAsync([(kind, resource)], cancellationToken);

    /// <summary>Holds all of <paramref name="resources"/> in one write; those it holds already cost nothing.</summary>
    public Task AddAsync(IReadOnlyList<(LeaseResourceKind Kind, string Resource)> resources, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resources);
        var missing = resources.Where(r => !_held.ContainsKey(r)).Distinct().ToList();
        if (missing.Count == 0) return Task.CompletedTask;
        // Remembered only once committed: a row written inside a caller's transaction that
        // rolls back was never there.
        return _manager.AddAsync(Id, missing, () =>
        {
            foreach (var r in missing) _held.TryAdd(r, true);
        }, cancellationToken);
    }

    /// <summary>Holds blobs this operation is about to write, in one write; each with whether it is not in the store yet.</summary>
    internal async Task AddBlobsAsync(IReadOnlyList<(Digest Digest, bool Brought)> blobs, CancellationToken cancellationToken)
    {
        await AddAsync([.. blobs.Select(b => (LeaseResourceKind.Blob, b.Digest.Value))], cancellationToken).ConfigureAwait(false);
        foreach (var (digest, brought) in blobs)
        {
            if (brought) _brought.TryAdd(digest, true);
        }
    }

    /// <summary>
    /// The operation failed: the lease ends and the blobs only it brought go with it, unless an
    /// image, a cache record or another live lease holds them. Returns how many were removed.
    /// </summary>
    public async Task<int> DiscardAsync(CancellationToken cancellationToken)
    {
        if (_root is not null || Interlocked.Exchange(ref _finished, 1) != 0) return 0;
        try
        {
            return await _manager.DiscardAsync(Id, Brought, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _manager.Restore(this, _previous);
        }
    }

    /// <summary>Ends the lease (the operation's image is recorded, or it failed and keeps what it made as cache).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _finished, 1) != 0) return;
        try
        {
            if (_root is null) await _manager.ReleaseAsync(Id, CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            _manager.Restore(this, _previous);
        }
    }
}
