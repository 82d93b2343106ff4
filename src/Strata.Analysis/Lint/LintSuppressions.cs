using System.Text.RegularExpressions;

namespace Strata.Analysis.Lint;

/// <summary>
/// The <c># strata-lint ignore=CODE[,CODE]</c> comments. On the comment lines directly above an
/// instruction it silences those codes for that instruction (every line of it); the file-wide
/// form <c># strata-lint global ignore=CODE[,CODE]</c> must sit in the comments before the first
/// instruction. A code is a rule code (<c>STR003</c>, <c>JSONArgsRecommended</c>) or its hadolint
/// twin (<c>DL3009</c>), case-insensitive, so hadolint users can keep their habits.
/// </summary>
internal sealed partial class LintSuppressions
{
    private readonly HashSet<string> _global;
    private readonly Dictionary<int, HashSet<string>> _byInstructionLine;

    private LintSuppressions(HashSet<string> global, Dictionary<int, HashSet<string>> byLine)
    {
        _global = global;
        _byInstructionLine = byLine;
    }

    [GeneratedRegex(@"^\s*#\s*strata-lint\s+(global\s+)?ignore\s*=\s*([A-Za-z0-9_,\s]+?)\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex Directive();

    /// <summary>Reads the comments of <paramref name="lines"/>; <paramref name="instructionLines"/> are the first lines of every instruction.</summary>
    public static LintSuppressions Parse(IReadOnlyList<string> lines, IReadOnlyCollection<int> instructionLines)
    {
        var global = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var byLine = new Dictionary<int, HashSet<string>>();
        int first = instructionLines.Count == 0 ? lines.Count + 1 : instructionLines.Min();
        var starts = instructionLines.ToHashSet();
        for (int i = 0; i < lines.Count; i++)
        {
            var m = Directive().Match(lines[i]);
            if (!m.Success) continue;
            var codes = m.Groups[2].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            int lineNo = i + 1;
            if (m.Groups[1].Success)
            {
                if (lineNo < first) global.UnionWith(codes);
                continue;
            }
            // The instruction this comment belongs to: the next line that is neither a comment nor blank.
            int j = i + 1;
            while (j < lines.Count && lines[j].TrimStart().StartsWith('#')) j++;
            if (j < lines.Count && starts.Contains(j + 1))
            {
                if (!byLine.TryGetValue(j + 1, out var set)) byLine[j + 1] = set = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                set.UnionWith(codes);
            }
        }
        return new LintSuppressions(global, byLine);
    }

    /// <summary>True when <paramref name="rule"/> is silenced for the instruction starting on <paramref name="instructionLine"/>.</summary>
    public bool Ignores(LintRule rule, int instructionLine) =>
        Matches(_global, rule) || (_byInstructionLine.TryGetValue(instructionLine, out var set) && Matches(set, rule));

    private static bool Matches(HashSet<string> codes, LintRule rule) =>
        codes.Contains(rule.Code) || (rule.Hadolint is { } h && codes.Contains(h));
}
