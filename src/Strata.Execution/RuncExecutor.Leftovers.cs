namespace Strata.Execution;

/// <summary>
/// What a killed strata process left in the runtime: containers whose state is still under
/// Strata's <c>--root</c>, and runtime processes still serving them. Deciding which ids are
/// leftovers is the caller's (it knows who owns each id); this side lists and removes.
/// </summary>
public sealed partial class RuncExecutor
{
    /// <summary>The ids the runtime's state directory holds (see <see cref="RuntimeStateDirectory.Ids"/>).</summary>
    public static IReadOnlyList<string> StateIds(string stateDirectory) => RuntimeStateDirectory.Ids(stateDirectory);

    /// <summary>
    /// Removes container <paramref name="id"/> for good: SIGKILL to every runtime process still
    /// serving it (a foreground <c>run</c> whose caller was killed, the wrapper of a bound
    /// container), waiting until they are gone, then <c>delete --force</c> (which kills what is left
    /// of the container and removes its state and cgroups) and the bundle directory.
    /// Idempotent: a container already gone is no error.
    /// </summary>
    public async Task ReapAsync(string id)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        await RuntimeProcesses.KillAsync(RuntimeProcesses.Find(_options.StateDirectory, id), _options.KillTimeout).ConfigureAwait(false);
        await ForgetAsync(id).ConfigureAwait(false);
    }
}
