using System.Globalization;
using System.Text;
using Strata.Build.Progress;

namespace Strata.Cli;

/// <summary>
/// The front end's warnings after a build, as buildx prints them once its progress display
/// closes (after a success and before a failure's error): a count, then one line per warning,
/// here with the file and line (<c> - UndefinedVar: Usage of undefined variable '$X' (Dockerfile:5)</c>).
/// With <c>--debug</c> each warning is expanded: its documentation link and the Dockerfile lines around it.
/// </summary>
internal static class BuildWarningSummary
{
    /// <summary>Lines of context shown on each side of the warned line with <c>--debug</c>.</summary>
    private const int Context = 2;

    public static string Render(IReadOnlyList<BuildWarning> warnings, bool debug)
    {
        if (warnings.Count == 0) return "";
        var sb = new StringBuilder();
        sb.Append('\n').Append(' ').Append(warnings.Count.ToString(CultureInfo.InvariantCulture))
            .Append(warnings.Count == 1 ? " warning found" : " warnings found")
            .Append(debug ? ":" : " (use --debug to expand):").Append('\n');
        foreach (var warning in warnings)
        {
            sb.Append(" - ").Append(warning.WithLocation).Append('\n');
            if (!debug) continue;
            if (warning.Url is not null) sb.Append("More info: ").Append(warning.Url).Append('\n');
            AppendSource(sb, warning);
            sb.Append('\n');
        }
        return sb.ToString();
    }

    private static void AppendSource(StringBuilder sb, BuildWarning warning)
    {
        var lines = warning.Source.Split('\n');
        if (warning.Line < 1 || warning.Line > lines.Length) return;
        int first = Math.Max(1, warning.Line - Context), last = Math.Min(lines.Length, warning.Line + Context);
        if (last == lines.Length && lines[^1].Length == 0 && last > warning.Line) last--; // the empty "line" after the final newline
        sb.Append(warning.File).Append(':').Append(warning.Line.ToString(CultureInfo.InvariantCulture)).Append('\n');
        sb.Append("--------------------\n");
        for (int n = first; n <= last; n++)
        {
            sb.Append(' ').Append(n.ToString(CultureInfo.InvariantCulture).PadLeft(3)).Append(" | ")
                .Append(n == warning.Line ? ">>> " : "    ").Append(lines[n - 1].TrimEnd('\r')).Append('\n');
        }
        sb.Append("--------------------\n");
    }
}
