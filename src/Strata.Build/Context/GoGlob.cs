namespace Strata.Build.Context;

/// <summary>
/// The syntax check of Go's <c>filepath.Match</c>: docker rejects a .dockerignore pattern that
/// Go would call malformed (an unclosed or empty character class, a range without an end, a
/// trailing backslash), so a typo is an error, not a silent non-match.
/// </summary>
internal static class GoGlob
{
    /// <summary>True when <paramref name="pattern"/> is a well-formed Go glob.</summary>
    public static bool IsValid(string pattern)
    {
        int i = 0;
        while (i < pattern.Length)
        {
            char c = pattern[i];
            if (c == '\\')
            {
                if (i + 1 >= pattern.Length) return false;
                i += 2;
                continue;
            }
            if (c != '[')
            {
                i++;
                continue;
            }
            i++;
            if (i < pattern.Length && pattern[i] == '^') i++;
            int ranges = 0;
            while (true)
            {
                if (i < pattern.Length && pattern[i] == ']' && ranges > 0)
                {
                    i++;
                    break;
                }
                if (!ReadClassChar(pattern, ref i)) return false;
                if (i < pattern.Length && pattern[i] == '-')
                {
                    i++;
                    if (!ReadClassChar(pattern, ref i)) return false;
                }
                ranges++;
            }
        }
        return true;
    }

    // Go's getEsc: a class character may not be empty, '-' or ']' and may be escaped.
    private static bool ReadClassChar(string pattern, ref int i)
    {
        if (i >= pattern.Length || pattern[i] is '-' or ']') return false;
        if (pattern[i] == '\\')
        {
            i++;
            if (i >= pattern.Length) return false;
        }
        i += char.IsSurrogatePair(pattern, i) ? 2 : 1;
        return true;
    }
}
