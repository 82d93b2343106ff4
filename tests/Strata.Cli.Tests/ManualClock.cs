namespace Strata.Cli.Tests;

/// <summary>A clock that moves only when told; its timers never fire (renderers are redrawn by hand).</summary>
internal sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
