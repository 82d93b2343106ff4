namespace Strata.Build.Engine;

/// <summary>
/// What the platform builds of one multi-platform build share: progress ids (their steps show in
/// one view), the RUN slots (one per core for the whole build, not per platform), the base
/// images (a native stage's base is resolved once), and one turn per cache key, so a step two
/// platforms have in common (a <c>FROM --platform=$BUILDPLATFORM</c> stage) runs once and the
/// other platform finds it in the cache.
/// </summary>
internal sealed class SharedPlatformState
{
    public SharedPlatformState(BaseImages bases, StepIds ids)
    {
        Bases = bases;
        Ids = ids;
    }

    public BaseImages Bases { get; }

    public StepIds Ids { get; }

    public SemaphoreSlim RunSlots { get; } = new(Math.Max(1, Environment.ProcessorCount));

    public CacheKeyTurns Turns { get; } = new();
}
