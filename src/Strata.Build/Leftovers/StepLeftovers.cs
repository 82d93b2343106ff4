using Strata.Build.Engine;
using Strata.Rootfs;
using Strata.Core;
using Strata.Core.Unix;
using Strata.Execution;
using Strata.Images;
using Strata.Snapshots;

namespace Strata.Build.Leftovers;

/// <summary>
/// Finds and removes what a killed build left: a step container's runtime state (its processes
/// die with the build, see <see cref="ContainerSpec.BoundToCaller"/>, but state, cgroups and
/// bundle stay), the mounts in the process's directory under <c>&lt;store&gt;/runtime/mounts</c>,
/// its active and view snapshots, and that directory. Each of these carries its owner's
/// <see cref="OwnerProcess"/> token in its name, so a name whose owner is gone is a leftover and
/// a live process's never is. Finding reads three directories, the mount table and the
/// snapshot metadata, and starts no process: every command can afford it.
/// </summary>
public static class StepLeftovers
{
    private const string EarlierMountPrefix = "strata-mount-";

    /// <summary>Everything a gone process left, in reaping order (runtime states, mounts deepest first, snapshots, directories).</summary>
    public static async Task<IReadOnlyList<StepLeftover>> FindAsync(ImageStore store, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var found = new List<StepLeftover>();
        foreach (var id in RuntimeStateDirectory.Ids(StateDirectory(store)))
        {
            if (!id.StartsWith(RuncStepRunner.ContainerIdPrefix, StringComparison.Ordinal)) continue;
            var owner = OwnerProcess.InName(id, RuncStepRunner.ContainerIdPrefix);
            if (owner is not { IsAlive: true }) found.Add(new(StepLeftoverKind.RuntimeState, id, owner));
        }

        var mountsRoot = MountsDirectory(store);
        var directories = new List<StepLeftover>();
        if (Directory.Exists(mountsRoot))
        {
            IReadOnlyList<string>? mounted = null;
            var realRoot = MountTable.RealPath(mountsRoot);
            foreach (var dir in Directory.EnumerateDirectories(mountsRoot))
            {
                var name = Path.GetFileName(dir);
                OwnerProcess? owner = null;
                if (OwnerProcess.TryParse(name, out var parsed))
                {
                    if (parsed.IsAlive) continue;
                    owner = parsed;
                }
                // Anything else is a container's root filesystem (its record owns it) or not ours.
                else if (!name.StartsWith(EarlierMountPrefix, StringComparison.Ordinal)) continue;
                mounted ??= MountTable.Under(realRoot);
                var realDir = Path.Combine(realRoot, name);
                found.AddRange(mounted.Where(m => m == realDir || m.StartsWith(realDir + "/", StringComparison.Ordinal)).Select(m => new StepLeftover(StepLeftoverKind.Mount, m, owner)));
                directories.Add(new(StepLeftoverKind.MountDirectory, dir, owner));
            }
        }

        if (File.Exists(Path.Combine(SnapshotterRoot(store), "metadata.json")))
        {
            var snapshotter = SnapshotWorkspace.Open(store).Snapshotter;
            await foreach (var info in snapshotter.ListAsync(cancellationToken).ConfigureAwait(false))
            {
                if (info.Kind == SnapshotKind.Committed) continue;
                var prefix = new[] { SnapshotWorkspace.StepKeyPrefix, SnapshotWorkspace.ViewKeyPrefix, SnapshotLayers.ExtractKeyPrefix }
                    .FirstOrDefault(p => info.Key.StartsWith(p, StringComparison.Ordinal));
                if (prefix is null) continue;   // a container's writable layer: its record owns it
                var owner = OwnerProcess.InName(info.Key, prefix);
                if (owner is { IsAlive: true } || (owner is null && !IsEarlierKey(info.Key, prefix))) continue;
                found.Add(new(StepLeftoverKind.Snapshot, info.Key, owner));
            }
        }
        found.AddRange(directories);
        return found;
    }

    /// <summary>
    /// Removes <paramref name="leftovers"/> in order and returns a line for each one removed. One
    /// that cannot be removed (a mount still busy) is skipped: the next command, or
    /// <c>system check</c>, finds it again. Safe to run in several processes at once.
    /// </summary>
    /// <param name="store">The store they are in.</param>
    /// <param name="leftovers">From <see cref="FindAsync"/>.</param>
    /// <param name="runtime">Makes the runtime that deletes container state; called only when there is some.</param>
    /// <param name="cancellationToken">Stops between items.</param>
    public static async Task<IReadOnlyList<string>> ReapAsync(ImageStore store, IReadOnlyList<StepLeftover> leftovers, Func<IContainerRuntime> runtime, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(leftovers);
        ArgumentNullException.ThrowIfNull(runtime);
        var removed = new List<string>();
        IContainerRuntime? executor = null;
        ISnapshotter? snapshotter = null;
        foreach (var leftover in leftovers)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                switch (leftover.Kind)
                {
                    case StepLeftoverKind.RuntimeState:
                        executor ??= runtime();
                        await executor.ReapAsync(leftover.Name).ConfigureAwait(false);
                        break;
                    case StepLeftoverKind.Mount:
                        await MountHelper.UnmountAllAsync(leftover.Name, cancellationToken).ConfigureAwait(false);
                        break;
                    case StepLeftoverKind.Snapshot:
                        snapshotter ??= SnapshotWorkspace.Open(store).Snapshotter;
                        await snapshotter.RemoveAsync(leftover.Name, cancellationToken).ConfigureAwait(false);
                        break;
                    default:
                        if (!RemoveEmptyTree(leftover.Name)) continue;
                        break;
                }
                removed.Add("removed " + leftover.Description);
            }
            catch (NotFoundException)
            {
                // Another process reaped it first.
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FailedPreconditionException)
            {
                // Busy or otherwise stuck: left for the next pass, which reports it again.
            }
        }
        return removed;
    }

    /// <summary>
    /// Removes a mount directory that holds only empty directories (unmounted mount points).
    /// Never recursive over files: a mount that did not go away would let a recursive delete
    /// reach into the snapshot it shows. False when something is still in it.
    /// </summary>
    private static bool RemoveEmptyTree(string directory)
    {
        if (!Directory.Exists(directory)) return true;
        foreach (var child in Directory.EnumerateDirectories(directory))
        {
            try
            {
                Directory.Delete(child);
            }
            catch (IOException)
            {
                return false;
            }
        }
        Directory.Delete(directory);
        return true;
    }

    /// <summary>The keys an earlier Strata made, without an owner: PREFIX then 32 hex digits.</summary>
    private static bool IsEarlierKey(string key, string prefix)
    {
        var rest = key.AsSpan(prefix.Length);
        if (rest.Length < 32 || (rest.Length > 32 && rest[32] != ' ')) return false;
        foreach (var c in rest[..32])
            if (!char.IsAsciiHexDigitLower(c)) return false;
        return true;
    }

    internal static string StateDirectory(ImageStore store) => Path.Combine(store.Layout.Root, "runtime", "state");

    private static string MountsDirectory(ImageStore store) => Path.Combine(store.Layout.Root, "runtime", "mounts");

    private static string SnapshotterRoot(ImageStore store) => Path.Combine(store.Layout.Root, "snapshotter");
}
