using Strata.Core.Unix;

namespace Strata.Build.Leftovers;

/// <summary>
/// One thing a strata process left behind when it was killed.
/// </summary>
/// <param name="Kind">What it is.</param>
/// <param name="Name">The container id, mount point, snapshot key or directory.</param>
/// <param name="Owner">
/// The process that made it, which is gone. Null for a name without an owner's token, which only
/// an earlier Strata made: <c>system check</c> reports those and <c>--repair</c> removes them,
/// but the automatic reaping of every command leaves them alone (it removes only what it can
/// prove is dead).
/// </param>
public sealed record StepLeftover(StepLeftoverKind Kind, string Name, OwnerProcess? Owner)
{
    /// <summary>One line for <c>system check</c>: what it is and who left it.</summary>
    public string Description => Kind switch
    {
        StepLeftoverKind.RuntimeState => $"build container {Name} (runtime state)",
        StepLeftoverKind.Mount => $"mount {Name}",
        StepLeftoverKind.Snapshot => $"snapshot {Name}",
        _ => $"directory {Name}",
    } + (Owner is { } owner ? $" left by strata process {owner.Pid}, which is gone" : " left by an earlier strata version");
}
