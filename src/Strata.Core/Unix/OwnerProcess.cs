using System.Globalization;

namespace Strata.Core.Unix;

/// <summary>
/// The process that made something in a store, by pid and start time (field 22 of
/// <c>/proc/PID/stat</c>, in clock ticks since boot). Its <see cref="Token"/> goes into the names
/// of what a strata process creates and must not outlive it (a build step's runtime state, mount
/// directory and snapshot), so the next command can tell what a killed process left: a name
/// whose owner is no longer alive is a leftover. The start time makes a pid reused after a crash
/// or a reboot read as another process, never as the owner.
/// </summary>
/// <remarks>
/// Processes are seen in this process's pid namespace: a strata process in another pid namespace
/// sharing the store would read as gone, so a store is not shared across pid namespaces.
/// </remarks>
public readonly record struct OwnerProcess(int Pid, long StartTime)
{
    private const char Separator = '.';

    /// <summary>This process.</summary>
    public static OwnerProcess Current { get; } = Of(Environment.ProcessId)
        ?? throw new InvalidOperationException("/proc/self/stat cannot be read: Strata needs /proc");

    /// <summary><c>PID.STARTTIME</c>: digits and a dot only, so it fits runtime container ids, file names and snapshot keys.</summary>
    public string Token => Pid.ToString(CultureInfo.InvariantCulture) + Separator + StartTime.ToString(CultureInfo.InvariantCulture);

    /// <summary>True while this very process (same pid, same start time) runs and is not a zombie.</summary>
    public bool IsAlive => StartTimeOf(Pid) == StartTime;

    /// <summary>The running process <paramref name="pid"/>, or null when there is none.</summary>
    public static OwnerProcess? Of(int pid) => StartTimeOf(pid) is { } start ? new OwnerProcess(pid, start) : null;

    /// <summary>Reads a <see cref="Token"/>; false for anything else.</summary>
    public static bool TryParse(ReadOnlySpan<char> token, out OwnerProcess owner)
    {
        owner = default;
        int dot = token.IndexOf(Separator);
        if (dot <= 0
            || !int.TryParse(token[..dot], NumberStyles.None, CultureInfo.InvariantCulture, out int pid) || pid <= 0
            || !long.TryParse(token[(dot + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out long start))
            return false;
        owner = new OwnerProcess(pid, start);
        return true;
    }

    /// <summary>
    /// The owner named in <paramref name="name"/> right after <paramref name="prefix"/>, as
    /// <c>PREFIX TOKEN - REST</c> (e.g. <c>build-1234.5678-9f0e...</c> with prefix <c>build-</c>);
    /// null when <paramref name="name"/> does not have that form.
    /// </summary>
    public static OwnerProcess? InName(string name, string prefix)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(prefix);
        if (!name.StartsWith(prefix, StringComparison.Ordinal)) return null;
        var rest = name.AsSpan(prefix.Length);
        int end = rest.IndexOf('-');
        return end > 0 && TryParse(rest[..end], out var owner) ? owner : null;
    }

    public override string ToString() => Token;

    private static long? StartTimeOf(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        // The command name (field 2) may hold spaces and parentheses: count fields after the last ')'.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        if (fields[0] is "Z" or "X") return null;
        return long.Parse(fields[19], CultureInfo.InvariantCulture);
    }
}
