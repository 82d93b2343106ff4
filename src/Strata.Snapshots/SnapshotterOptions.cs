namespace Strata.Snapshots;

/// <summary>Settings shared by every snapshotter.</summary>
public sealed record SnapshotterOptions
{
    /// <summary>The defaults: the system clock.</summary>
    public static SnapshotterOptions Default { get; } = new();

    /// <summary>Clock for <see cref="SnapshotInfo.Created"/>. Default: <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>How long an operation waits for another process holding the root's lock. Default: 5 minutes.</summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromMinutes(5);
}
