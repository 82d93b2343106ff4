using System.Text;
using System.Text.RegularExpressions;

namespace Strata.Dockerfile.Shell;

/// <summary>
/// Shell wildcard patterns of <c>${v#p}</c>, <c>${v%p}</c> and <c>${v/p/r}</c>: <c>*</c> and
/// <c>?</c> only (no brackets), <c>\</c> escapes them. Turned into regular expressions; matching
/// has a time limit so a hostile pattern cannot hang a parse.
/// </summary>
internal static class ShellPattern
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    public static Regex ToRegex(string pattern, bool greedy, bool anchored)
    {
        var sb = new StringBuilder(pattern.Length + 4);
        if (anchored) sb.Append('^');
        var star = greedy ? ".*" : ".*?";
        for (int i = 0; i < pattern.Length; i++)
        {
            char c = pattern[i];
            switch (c)
            {
                case '*':
                    sb.Append(star);
                    continue;
                case '?':
                    sb.Append('.');
                    continue;
                case '\\':
                    // An escaped } or / belongs to the ${} syntax, not to the pattern.
                    if (i + 1 < pattern.Length && pattern[i + 1] is '}' or '/') continue;
                    if (i + 1 >= pattern.Length || pattern[i + 1] is not ('*' or '?' or '\\'))
                    {
                        var bad = i + 1 < pattern.Length ? pattern[i + 1].ToString() : "";
                        throw new DockerfileException($"invalid pattern ({pattern}) in substitution: invalid escape '\\{bad}'");
                    }
                    sb.Append('\\').Append(pattern[++i]);
                    continue;
                case '[' or ']' or '{' or '}' or '.' or '+' or '(' or ')' or '|' or '^' or '$' or '#' or ' ' or '\t' or '\n' or '\r' or '\f' or '\v':
                    sb.Append('\\').Append(c);
                    continue;
                default:
                    sb.Append(c);
                    continue;
            }
        }
        return new Regex(sb.ToString(), RegexOptions.CultureInvariant, Timeout);
    }

    public static string TrimPrefix(ShellLexer lexer, string pattern, string value, bool greedy)
    {
        var m = Match(lexer.Pattern(pattern, greedy, true), value);
        return m.Success ? value[(m.Index + m.Length)..] : value;
    }

    public static string TrimSuffix(ShellLexer lexer, string pattern, string value, bool greedy)
    {
        // No regex finds the shortest rightmost match, so reverse both and trim a prefix.
        var trimmed = TrimPrefix(lexer, ReversePattern(pattern), Reverse(value), greedy);
        return Reverse(trimmed);
    }

    public static string Replace(ShellLexer lexer, string value, string pattern, string replacement, bool all)
    {
        var re = lexer.Pattern(pattern, true, false);
        try
        {
            if (all)
            {
                // Literal replacement (Go's ReplaceAllString would expand $1; BuildKit patterns have no groups).
                return re.Replace(value, replacement.Replace("$", "$$", StringComparison.Ordinal));
            }
            var m = re.Match(value);
            return m.Success ? string.Concat(value.AsSpan(0, m.Index), replacement, value.AsSpan(m.Index + m.Length)) : value;
        }
        catch (RegexMatchTimeoutException)
        {
            throw new DockerfileException($"pattern ({pattern}) in substitution is too expensive to match");
        }
    }

    private static Match Match(Regex re, string value)
    {
        try
        {
            return re.Match(value);
        }
        catch (RegexMatchTimeoutException)
        {
            throw new DockerfileException("pattern in substitution is too expensive to match");
        }
    }

    /// <summary>Reverses a pattern but keeps each escape in front of the character it escapes.</summary>
    private static string ReversePattern(string pattern)
    {
        var runes = pattern.EnumerateRunes().ToArray();
        var output = new Rune[runes.Length];
        int last = runes.Length - 1;
        for (int i = 0; i <= last;)
        {
            int outIdx = last - i;
            if (runes[i].Value == '\\' && i != last)
            {
                output[outIdx - 1] = runes[i];
                output[outIdx] = runes[i + 1];
                i += 2;
            }
            else
            {
                output[outIdx] = runes[i];
                i++;
            }
        }
        var sb = new StringBuilder(pattern.Length);
        foreach (var r in output) sb.Append(r.ToString());
        return sb.ToString();
    }

    private static string Reverse(string s)
    {
        var runes = s.EnumerateRunes().ToArray();
        Array.Reverse(runes);
        var sb = new StringBuilder(s.Length);
        foreach (var r in runes) sb.Append(r.ToString());
        return sb.ToString();
    }
}
