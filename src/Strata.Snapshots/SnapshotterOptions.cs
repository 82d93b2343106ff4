namespace Strata.Snapshots;

/// <summary>Settings shared by every snapshotter.</summary>
public sealed record SnapshotterOptions
{
    // Before Default, which reads it as it is made.
    private static readonly string CurrentBootId = ReadBootId();

    /// <summary>The defaults: the system clock.</summary>
    public static SnapshotterOptions Default { get; } = new();

    /// <summary>Clock for <see cref="SnapshotInfo.Created"/>. Default: <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>How long an operation waits for another process holding the root's lock. Default: 5 minutes.</summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// This boot's id (the kernel's <c>random/boot_id</c>), which marks snapshots written without
    /// syncing: one marked with another boot's id may have lost data in a crash, and is dropped
    /// (see <see cref="ISnapshotter.PrepareUnsyncedAsync"/>). Empty: nothing is written unsynced.
    /// </summary>
    public string BootId { get; init; } = CurrentBootId;

    private static string ReadBootId()
    {
        try
        {
            return File.ReadAllText("/proc/sys/kernel/random/boot_id").Trim();
        }
        catch (IOException)
        {
            return "";
        }
        catch (UnauthorizedAccessException)
        {
            return "";
        }
    }
}
