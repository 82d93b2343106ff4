using System.Collections.Concurrent;
using Strata.Build.Progress;

namespace Strata.Build.Engine;

/// <summary>
/// The progress of a multi-platform build: every platform's build expands the same Dockerfile,
/// so each front-end warning arrives once per platform; it is passed on once (the same rule,
/// message and line). Every other event passes as it is.
/// </summary>
internal sealed class DistinctWarningsProgress(IBuildProgress inner) : IBuildProgress
{
    private readonly ConcurrentDictionary<(string Rule, string Message, int Line), bool> _seen = new();

    public void StepStarted(int id, string name) => inner.StepStarted(id, name);

    public void StepOutput(int id, string line) => inner.StepOutput(id, line);

    public void StepCompleted(int id, TimeSpan duration, bool cached) => inner.StepCompleted(id, duration, cached);

    public void StepFailed(int id, string error) => inner.StepFailed(id, error);

    public void StepCacheMiss(int id, string reason) => inner.StepCacheMiss(id, reason);

    public void StepCacheRebased(int id, string reason) => inner.StepCacheRebased(id, reason);

    public void StepCacheExplained(int id, string line) => inner.StepCacheExplained(id, line);

    public void StepTransferred(int id, long bytes) => inner.StepTransferred(id, bytes);

    public void Warning(BuildWarning warning)
    {
        ArgumentNullException.ThrowIfNull(warning);
        if (_seen.TryAdd((warning.Rule, warning.Message, warning.Line), true)) inner.Warning(warning);
    }
}
