using System.Globalization;
using Strata.Core.Unix;

namespace Strata.Images.Leases;

/// <summary>
/// The process a lease belongs to, by pid and start time (field 22 of <c>/proc/PID/stat</c>): a
/// lease whose process died (SIGKILL, crash, reboot) holds nothing, and a pid reused by another
/// process is never mistaken for the owner. No expiry time is needed, so a build that runs for
/// hours keeps what it holds.
/// </summary>
internal sealed record LeaseOwner(int Pid, long StartTime)
{
    /// <summary>This process.</summary>
    public static LeaseOwner Current { get; } = new(Environment.ProcessId, StartTimeOf(Environment.ProcessId) ?? 0);

    /// <summary>True while this very process runs (same pid, same start time) and is no zombie.</summary>
    public bool IsAlive => StartTimeOf(Pid) == StartTime;

    /// <summary>The start time of live process <paramref name="pid"/>, or null (gone, or a zombie).</summary>
    private static long? StartTimeOf(int pid) => OwnerProcess.Of(pid)?.StartTime;
}
