using System.Text;
using System.Text.RegularExpressions;

namespace Strata.Build.Context;

/// <summary>
/// One .dockerignore pattern compiled the way docker's patternmatcher does: plain names match
/// exactly, <c>dir/**</c> by prefix, <c>**/name</c> by suffix, anything else through a regex in
/// which <c>*</c> and <c>?</c> never cross a slash and <c>**</c> crosses any number of them.
/// </summary>
internal sealed class IgnorePattern
{
    private enum Kind { Exact, Prefix, Suffix, Regex }

    private readonly Kind _kind;
    private readonly Regex? _regex;

    public IgnorePattern(string cleaned, bool exclusion)
    {
        Cleaned = cleaned;
        Exclusion = exclusion;
        Dirs = cleaned.Split('/');
        (_kind, _regex) = Compile(cleaned);
    }

    public string Cleaned { get; }

    public bool Exclusion { get; }

    /// <summary>The pattern's path components (used by docker's single-parent check).</summary>
    public string[] Dirs { get; }

    public bool Match(string path) => _kind switch
    {
        Kind.Exact => path == Cleaned,
        Kind.Prefix => path.StartsWith(Cleaned[..^2], StringComparison.Ordinal),
        Kind.Suffix => path.EndsWith(Cleaned[2..], StringComparison.Ordinal) || (Cleaned[2] == '/' && path == Cleaned[3..]),
        _ => _regex!.IsMatch(path),
    };

    private static (Kind, Regex?) Compile(string pattern)
    {
        var regex = new StringBuilder("^");
        var kind = Kind.Exact;
        var runes = pattern.EnumerateRunes().ToList();
        for (int i = 0, iteration = 0; i < runes.Count; i++, iteration++)
        {
            var ch = runes[i];
            int next = i + 1 < runes.Count ? runes[i + 1].Value : -1;
            if (ch.Value == '*')
            {
                if (next == '*')
                {
                    i++;
                    if (i + 1 < runes.Count && runes[i + 1].Value == '/') i++;
                    if (i + 1 >= runes.Count)
                    {
                        // "**" at the end matches everything below, as in .gitignore.
                        if (kind == Kind.Exact) kind = Kind.Prefix;
                        else { regex.Append(".*"); kind = Kind.Regex; }
                    }
                    else
                    {
                        regex.Append("(.*/)?");
                        kind = Kind.Regex;
                    }
                    // A leading "**" makes a suffix match unless later characters need the regex.
                    if (iteration == 0) kind = Kind.Suffix;
                }
                else
                {
                    regex.Append("[^/]*");
                    kind = Kind.Regex;
                }
            }
            else if (ch.Value == '?')
            {
                regex.Append("[^/]");
                kind = Kind.Regex;
            }
            else if (ch.Value is '.' or '+' or '(' or ')' or '|' or '{' or '}' or '$')
            {
                regex.Append('\\').Append(ch.ToString());
            }
            else if (ch.Value == '\\')
            {
                if (next >= 0)
                {
                    regex.Append('\\').Append(runes[++i].ToString());
                    kind = Kind.Regex;
                }
                else
                {
                    regex.Append("\\\\");
                }
            }
            else if (ch.Value is '[' or ']')
            {
                regex.Append(ch.ToString());
                kind = Kind.Regex;
            }
            else
            {
                regex.Append(ch.ToString());
            }
        }
        if (kind != Kind.Regex) return (kind, null);
        // \z, not $: .NET's $ would also match before a final newline.
        regex.Append("\\z");
        return (kind, new Regex(regex.ToString(), RegexOptions.CultureInvariant));
    }
}
