using Strata.Containers;
using Strata.Build.Leftovers;
using Strata.Build.Secrets;
using Strata.Rootfs;
using Strata.Core;
using Strata.Core.Unix;
using Strata.Execution;
using Strata.Images;
using Strata.Images.Checking;

namespace Strata.Cli;

/// <summary>
/// What killed strata processes left: lost containers (Containers), build step leftovers
/// (Build/Leftovers) and secret directories (Build/Secrets). Build and Containers may not reference each
/// other, so this is where the two are put together: every command reaps on open what is
/// certainly dead, <c>system check</c> reports all of it and <c>--repair</c> removes it.
/// </summary>
internal static class LeftoverReaper
{
    /// <summary>
    /// Removes what gone processes left (never what a live one uses). Costs a few directory
    /// listings, the mount table and two metadata reads when nothing is left; a failure here
    /// never fails the command that opened the store (<c>system check</c> reports what stays).
    /// </summary>
    public static async Task ReapAsync(ImageStore store, CancellationToken cancellationToken)
    {
        try
        {
            foreach (var (path, _) in SecretDirectories.CurrentOrphans(store.Layout)) Directory.Delete(path, recursive: true);
            var lost = await ContainerManager.FindLostAsync(store, cancellationToken).ConfigureAwait(false);
            if (lost.Count > 0) await ContainerOpener.Create(store).ReapLostAsync(lost, cancellationToken).ConfigureAwait(false);
            // Only what names a gone owner: names without one (an earlier version's) wait for system check --repair.
            var steps = (await StepLeftovers.FindAsync(store, cancellationToken).ConfigureAwait(false)).Where(l => l.Owner is not null).ToList();
            if (steps.Count > 0) await StepLeftovers.ReapAsync(store, steps, () => RuntimeOpener.Open(store.Layout.Root), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is StrataException or IOException or UnauthorizedAccessException)
        {
            // The command goes on; what could not be reaped is still there for the next one.
        }
    }

    /// <summary>
    /// A command that ends, even with an error, leaves nothing of its own: its mount directory
    /// (empty by then) goes, so the next <c>system check</c> does not take it for a killed
    /// process's. Never recursive: a mount still there keeps it.
    /// </summary>
    public static void ReleaseOwnDirectory(string storeRoot)
    {
        try
        {
            Directory.Delete(SnapshotWorkspace.MountDirectoryOf(storeRoot, OwnerProcess.Current));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Not made by this command, or not empty: the next command's reaping decides.
        }
    }

    /// <summary>
    /// <c>system check</c>'s part: every leftover as an unused item (a killed process is no damage
    /// to the store). With <paramref name="repair"/> they are removed first and what could not be
    /// is reported.
    /// </summary>
    public static async Task<(IReadOnlyList<CheckFinding> Findings, IReadOnlyList<string> Repairs)> CheckAsync(ImageStore store, bool repair, CancellationToken cancellationToken)
    {
        var repairs = new List<string>();
        if (repair)
        {
            var lost = await ContainerManager.FindLostAsync(store, cancellationToken).ConfigureAwait(false);
            if (lost.Count > 0) repairs.AddRange(await ContainerOpener.Create(store).ReapLostAsync(lost, cancellationToken).ConfigureAwait(false));
            var steps = await StepLeftovers.FindAsync(store, cancellationToken).ConfigureAwait(false);
            if (steps.Count > 0) repairs.AddRange(await StepLeftovers.ReapAsync(store, steps, () => RuntimeOpener.Open(store.Layout.Root), cancellationToken).ConfigureAwait(false));
        }
        var findings = new List<CheckFinding>();
        foreach (var container in await ContainerManager.FindLostAsync(store, cancellationToken).ConfigureAwait(false))
            findings.Add(new(CheckSeverity.Garbage, $"container {container.Name} is recorded as running, but {(container.Monitor is { } m ? $"strata process {m.Pid}" : "its strata process")}, which ran it, is gone"));
        foreach (var leftover in await StepLeftovers.FindAsync(store, cancellationToken).ConfigureAwait(false))
            findings.Add(new(CheckSeverity.Garbage, leftover.Description));
        return (findings, repairs);
    }
}
