using System.Globalization;
using Strata.Core.Unix;

namespace Strata.Containers;

/// <summary>
/// A process by pid and start time (field 22 of <c>/proc/PID/stat</c>), so a pid reused after
/// a crash or reboot is never mistaken for the recorded process (and never signalled).
/// </summary>
public sealed record ProcessIdentity(int Pid, long StartTime)
{
    /// <summary>The running process <paramref name="pid"/>, or null when there is none.</summary>
    public static ProcessIdentity? Of(int pid) => StartTimeOf(pid) is { } start ? new ProcessIdentity(pid, start) : null;

    /// <summary>True while this very process (same pid, same start time) runs and is not a zombie.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsAlive => StartTimeOf(Pid) == StartTime;

    /// <summary>SIGKILL, only if this very process still runs.</summary>
    public void Kill()
    {
        if (!IsAlive) return;
        try
        {
            using var p = System.Diagnostics.Process.GetProcessById(Pid);
            p.Kill();
        }
        catch (ArgumentException)
        {
        }
        catch (InvalidOperationException)
        {
        }
    }

    /// <summary>SIGKILL, then waits (up to <paramref name="timeout"/>) until the process is gone or a zombie.</summary>
    public async Task KillAndWaitAsync(TimeSpan timeout)
    {
        Kill();
        var deadline = DateTime.UtcNow + timeout;
        while (IsAlive && DateTime.UtcNow < deadline) await Task.Delay(10).ConfigureAwait(false);
    }

    /// <summary>The start time of live process <paramref name="pid"/>, or null (gone, or a zombie).</summary>
    private static long? StartTimeOf(int pid) => OwnerProcess.Of(pid)?.StartTime;
}
