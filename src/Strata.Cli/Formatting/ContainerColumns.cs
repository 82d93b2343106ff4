using System.Globalization;
using System.Text;
using Strata.Containers;

namespace Strata.Cli.Formatting;

/// <summary>
/// A container's COMMAND, STATUS and SIZE as docker prints them in <c>ps</c> and <c>system df -v</c>.
/// </summary>
internal static class ContainerColumns
{
    /// <summary>
    /// The daemon's Command (moby daemon/list.go: the path, then the arguments, each holding a
    /// space wrapped in single quotes), cut to 20 characters unless <paramref name="trunc"/> is
    /// false, then Go's strconv.Quote as the CLI's formatter prints it.
    /// </summary>
    public static string Command(IReadOnlyList<string> command, bool trunc)
    {
        var line = string.Join(' ', command.Select((arg, i) => i > 0 && arg.Contains(' ', StringComparison.Ordinal) ? "'" + arg + "'" : arg));
        return GoQuote(trunc ? HumanUnits.Ellipsis(line, 20) : line);
    }

    /// <summary>docker's STATUS: <c>Created</c>, <c>Up 5 seconds</c>, <c>Exited (3) 2 minutes ago</c>.</summary>
    public static string Status(ContainerState c, DateTimeOffset now) => c.Status switch
    {
        ContainerStatus.Exited => $"Exited ({c.ExitCode ?? 0}) {HumanUnits.Since(c.FinishedAt ?? c.CreatedAt, now)}",
        ContainerStatus.Running => $"Up {HumanUnits.Duration(now - (c.StartedAt ?? c.CreatedAt))}",
        _ => "Created",
    };

    /// <summary><c>ps -s</c>'s SIZE: the writable layer, then the virtual size (docker's three digits).</summary>
    public static string Size(ContainerSize size) =>
        size.Virtual > 0 ? $"{HumanUnits.Size(size.Writable)} (virtual {HumanUnits.Size(size.Virtual)})" : HumanUnits.Size(size.Writable);

    /// <summary>Go's strconv.Quote: double quotes, backslash escapes for quotes, backslashes and control characters.</summary>
    public static string GoQuote(string s)
    {
        var text = new StringBuilder(s.Length + 2).Append('"');
        foreach (var rune in s.EnumerateRunes())
        {
            switch (rune.Value)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\a': text.Append("\\a"); break;
                case '\b': text.Append("\\b"); break;
                case '\f': text.Append("\\f"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                case '\v': text.Append("\\v"); break;
                case < 0x20 or 0x7F: text.Append("\\x").Append(rune.Value.ToString("x2", CultureInfo.InvariantCulture)); break;
                default: text.Append(rune.ToString()); break;
            }
        }
        return text.Append('"').ToString();
    }
}
