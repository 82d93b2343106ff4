namespace Strata.Build.Engine;

/// <summary>Progress ids of one build, unique across its steps and its base image resolves.</summary>
internal sealed class StepIds
{
    private int _last;

    public int Next() => Interlocked.Increment(ref _last);
}
