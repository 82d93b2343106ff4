using System.Text;
using System.Text.RegularExpressions;

namespace Strata.Build.FileOps;

/// <summary>Go <c>filepath.Match</c> for one path component, as COPY source wildcards use it.</summary>
internal static class SourceGlob
{
    public static bool HasWildcards(string path) => path.IndexOfAny(['*', '?', '[']) >= 0;

    public static Regex Compile(string component)
    {
        var sb = new StringBuilder("^");
        for (int i = 0; i < component.Length; i++)
        {
            char c = component[i];
            switch (c)
            {
                case '*': sb.Append("[^/]*"); break;
                case '?': sb.Append("[^/]"); break;
                case '\\' when i + 1 < component.Length: sb.Append(Regex.Escape(component[++i].ToString())); break;
                case '[':
                    {
                        int end = component.IndexOf(']', i + 2);
                        if (end < 0) { sb.Append("\\["); break; }
                        var body = component[(i + 1)..end];
                        if (body.StartsWith('^')) body = "^" + body[1..].Replace("\\", "\\\\", StringComparison.Ordinal);
                        else body = body.Replace("\\", "\\\\", StringComparison.Ordinal);
                        sb.Append('[').Append(body).Append(']');
                        i = end;
                        break;
                    }
                default: sb.Append(Regex.Escape(c.ToString())); break;
            }
        }
        return new Regex(sb.Append("\\z").ToString(), RegexOptions.CultureInvariant);
    }
}
