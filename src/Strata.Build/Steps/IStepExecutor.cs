using Strata.Build.Engine;

namespace Strata.Build.Steps;

/// <summary>
/// Runs one Dockerfile instruction of a stage (the executor is made for that instruction by
/// <see cref="StepExecutors.For"/>): takes the stage's state before the step and returns the
/// state after it, a new value (states are never changed in place).
/// </summary>
/// <remarks>
/// Contract: an executor changes the filesystem only through a root it prepares from the
/// workspace (committed as at most one layer, or discarded), adds at most one history entry,
/// and leaves the cache to the step loop: it never looks a key up nor records one. It may
/// throw a <see cref="Core.StrataException"/> or <see cref="IOException"/>, which the step loop
/// reports against the instruction's Dockerfile line; a <see cref="BuildStepException"/> is
/// passed on as it is (its message already names the line).
/// </remarks>
internal interface IStepExecutor
{
    Task<StageState> ExecuteAsync(StageState state, StepScope scope, CancellationToken cancellationToken);
}
