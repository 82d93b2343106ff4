using System.Collections.Concurrent;
using Strata.Build.Progress;

namespace Strata.Cli.Tests;

/// <summary>Records the events it receives as text, to check a decorator forwards them.</summary>
internal sealed class CollectingBuildProgress : IBuildProgress
{
    public ConcurrentQueue<string> Events { get; } = new();

    public void StepStarted(int id, string name) => Events.Enqueue($"start {id} {name}");

    public void StepOutput(int id, string line) => Events.Enqueue($"out {id} {line}");

    public void StepCompleted(int id, TimeSpan duration, bool cached) => Events.Enqueue($"done {id} {cached}");

    public void StepFailed(int id, string error) => Events.Enqueue($"fail {id} {error}");

    public void StepCacheMiss(int id, string reason) => Events.Enqueue($"miss {id} {reason}");
}
