namespace Strata.Build.Progress;

/// <summary>Discards every event.</summary>
public sealed class NullBuildProgress : IBuildProgress
{
    public static NullBuildProgress Instance { get; } = new();

    public void StepStarted(int id, string name) { }

    public void StepOutput(int id, string line) { }

    public void StepCompleted(int id, TimeSpan duration, bool cached) { }

    public void StepFailed(int id, string error) { }
}
