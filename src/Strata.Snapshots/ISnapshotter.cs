using Strata.Core;

namespace Strata.Snapshots;

/// <summary>
/// Allocates, commits and removes file-system snapshots, after containerd's snapshotter.
/// <para>
/// <b>Model.</b> A snapshot is either <i>active</i> (writable, addressed by a <i>key</i>), a
/// <i>view</i> (read-only, addressed by a key) or <i>committed</i> (immutable, addressed by a
/// <i>name</i>). Keys and names share one namespace: a string names at most one snapshot. Only
/// committed snapshots can be parents, so a chain is always
/// <c>committed &lt;- committed &lt;- ... &lt;- active|view</c>, and a committed snapshot is one
/// layer of changes on top of its parent.
/// </para>
/// <para>
/// <b>Mounts, not mounting.</b> Prepare, View and Mounts return descriptions
/// (<see cref="MountSpec"/>) of how to mount the snapshot's tree; the snapshotter never mounts
/// anything itself. Whoever needs the tree mounts the list, in order, on one target (see
/// <see cref="MountHelper"/>) and unmounts it before <see cref="CommitAsync"/> or
/// <see cref="RemoveAsync"/>. Descriptions stay valid for the snapshot's whole life.
/// </para>
/// <para>
/// <b>Errors.</b> An unknown key or parent is a <see cref="NotFoundException"/>; a key or name
/// already in use is an <see cref="AlreadyExistsException"/>; an operation the snapshot's state
/// does not allow (committing a view or a committed snapshot, a parent that is not committed,
/// removing a parent that still has children) is a <see cref="FailedPreconditionException"/>;
/// an empty or malformed key is an <see cref="InvalidArgumentException"/>. A failed operation
/// changes nothing.
/// </para>
/// <para>
/// <b>Concurrency.</b> Every method may be called from many tasks and many processes sharing one
/// root; metadata changes are serialised by a lock file in the root, so two prepares of the same
/// key make exactly one snapshot and the other caller gets <see cref="AlreadyExistsException"/>.
/// </para>
/// </summary>
public interface ISnapshotter
{
    /// <summary>"overlay" or "copy": which implementation this is (for logs and <c>info</c>).</summary>
    string Name { get; }

    /// <summary>
    /// True when <see cref="UpperDirectory"/> holds only the changes of the active snapshot, in
    /// overlay format (whiteouts as 0/0 character devices, opaque directories marked with
    /// <c>trusted.overlay.opaque=y</c>), so the next layer is written from it alone. False when
    /// it holds the full tree, so the next layer is the difference between the parent's tree
    /// and it.
    /// </summary>
    bool UpperDirectoryIsDiff { get; }

    /// <summary>
    /// Creates the active snapshot <paramref name="key"/>: a writable tree that starts as the
    /// committed snapshot <paramref name="parent"/> (or empty when null), and returns how to
    /// mount it. Fails if the key is taken or the parent is missing or not committed.
    /// </summary>
    Task<IReadOnlyList<MountSpec>> PrepareAsync(string key, string? parent, CancellationToken cancellationToken);

    /// <summary>
    /// <see cref="PrepareAsync"/> for a tree its caller can make again (from a layer blob it
    /// has stored durably: a build step, an unpacked layer). The overlay snapshotter mounts it
    /// <c>volatile</c>, so neither its writes nor its unmount wait for the disk; the snapshot
    /// carries this boot's id, and after a reboot (when a crash may have lost its data) it and
    /// every snapshot on it are dropped, to be made again. Preparing a durable snapshot
    /// (<see cref="PrepareAsync"/>, a container's) on such a chain syncs it first. Snapshotters
    /// that cannot do this prepare a durable snapshot.
    /// </summary>
    Task<IReadOnlyList<MountSpec>> PrepareUnsyncedAsync(string key, string? parent, CancellationToken cancellationToken);

    /// <summary>
    /// Creates the read-only view <paramref name="key"/> of the committed snapshot
    /// <paramref name="parent"/> (or of the empty tree when null). Writes through its mounts
    /// fail; a view can be removed but never committed.
    /// </summary>
    Task<IReadOnlyList<MountSpec>> ViewAsync(string key, string? parent, CancellationToken cancellationToken);

    /// <summary>
    /// How to mount the active snapshot or view <paramref name="key"/> again (the same list that
    /// Prepare or View returned). Committed snapshots have no mounts: view them instead.
    /// </summary>
    Task<IReadOnlyList<MountSpec>> MountsAsync(string key, CancellationToken cancellationToken);

    /// <summary>
    /// Turns the active snapshot <paramref name="key"/> into the committed snapshot
    /// <paramref name="name"/>. Afterwards the key no longer exists and the name can be a parent.
    /// The snapshot must be unmounted. Fails if the key is not an active snapshot (a view or a
    /// committed snapshot) or the name is taken.
    /// </summary>
    Task CommitAsync(string name, string key, CancellationToken cancellationToken);

    /// <summary>
    /// Removes the snapshot <paramref name="key"/> (a key or a committed name) and its files. The
    /// snapshot must be unmounted. A committed snapshot that is still the parent of another is
    /// refused. This is also how a snapshot left active by a crashed process is cleaned up.
    /// </summary>
    Task RemoveAsync(string key, CancellationToken cancellationToken);

    /// <summary>What is known about <paramref name="key"/> (a key or a name), or null when it does not exist.</summary>
    Task<SnapshotInfo?> StatAsync(string key, CancellationToken cancellationToken);

    /// <summary>Every snapshot, parents before their children, in creation order.</summary>
    IAsyncEnumerable<SnapshotInfo> ListAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Disk usage of the snapshot's own directory: the layer it adds for the overlay
    /// snapshotter, the full tree for the copying one.
    /// </summary>
    Task<SnapshotUsage> UsageAsync(string key, CancellationToken cancellationToken);

    /// <summary>
    /// The writable directory of the active snapshot <paramref name="key"/>: the place whose
    /// contents become the next layer (see <see cref="UpperDirectoryIsDiff"/>). Read it only
    /// while the snapshot is not being written to. Views and committed snapshots have none.
    /// </summary>
    string UpperDirectory(string key);
}
