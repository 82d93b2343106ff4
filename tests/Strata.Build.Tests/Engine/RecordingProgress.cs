using Strata.Build.Progress;

namespace Strata.Build.Tests.Engine;

/// <summary>Keeps a build's progress events: which steps completed cached, and every miss and rebase reason in order.</summary>
internal sealed class RecordingProgress : IBuildProgress
{
    private readonly Lock _lock = new();
    private readonly Dictionary<int, string> _names = [];
    private readonly List<string> _misses = [];
    private readonly List<string> _rebased = [];
    private readonly List<string> _ran = [];
    private readonly List<string> _cached = [];

    /// <summary>"step name: reason" for each cache miss.</summary>
    public IReadOnlyList<string> Misses { get { lock (_lock) return [.. _misses]; } }

    public IReadOnlyList<string> Rebased { get { lock (_lock) return [.. _rebased]; } }

    /// <summary>Names of the steps that completed without reuse.</summary>
    public IReadOnlyList<string> Ran { get { lock (_lock) return [.. _ran]; } }

    public IReadOnlyList<string> Cached { get { lock (_lock) return [.. _cached]; } }

    public void StepStarted(int id, string name)
    {
        lock (_lock) _names[id] = name;
    }

    public void StepOutput(int id, string line)
    {
    }

    public void StepCompleted(int id, TimeSpan duration, bool cached)
    {
        lock (_lock) (cached ? _cached : _ran).Add(_names[id]);
    }

    public void StepFailed(int id, string error)
    {
    }

    public void StepCacheMiss(int id, string reason)
    {
        lock (_lock) _misses.Add(_names[id] + ": " + reason);
    }

    public void StepCacheRebased(int id, string reason)
    {
        lock (_lock) _rebased.Add(_names[id] + ": " + reason);
    }
}
