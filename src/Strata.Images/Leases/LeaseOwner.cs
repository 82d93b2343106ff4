using System.Globalization;

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

    private static long? StartTimeOf(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
        }
        catch (IOException)
        {
            return null;
        }
        // The command name (field 2) may hold spaces and parentheses: fields after the last ')'.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        if (fields[0] is "Z" or "X") return null;
        return long.Parse(fields[19], CultureInfo.InvariantCulture);
    }
}
