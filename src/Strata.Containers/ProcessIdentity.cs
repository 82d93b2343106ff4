using System.Globalization;

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
        if (fields[0] == "Z" || fields[0] == "X") return null;
        return long.Parse(fields[19], CultureInfo.InvariantCulture);
    }
}
