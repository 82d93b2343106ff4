using System.CommandLine;

namespace Strata.Cli;

/// <summary>
/// A first word that names no verb: docker's two lines (<c>docker: 'x' is not a docker command.</c>,
/// <c>See 'docker --help'</c>) instead of the whole help, with a "did you mean" when a verb is
/// within two edits or starts with the word (cobra's rule for suggestions).
/// </summary>
internal static class UnknownVerb
{
    /// <summary>The two lines to print, or null when <paramref name="parse"/> did not stop at an unknown verb.</summary>
    public static string? Message(RootCommand root, ParseResult parse)
    {
        if (parse.CommandResult.Command != root || parse.UnmatchedTokens.Count == 0) return null;
        var word = parse.UnmatchedTokens[0];
        if (word.StartsWith('-')) return null;
        var suggestion = root.Subcommands
            .Where(c => !c.Hidden)
            .Select(c => (c.Name, Distance: Distance(word, c.Name)))
            .Where(c => c.Distance <= 2 || c.Name.StartsWith(word, StringComparison.OrdinalIgnoreCase))
            .OrderBy(c => c.Distance)
            .Select(c => c.Name)
            .FirstOrDefault();
        return $"strata: '{word}' is not a strata command." + (suggestion is null ? "" : $" Did you mean '{suggestion}'?") + "\nSee 'strata --help'";
    }

    /// <summary>Levenshtein distance, ignoring case.</summary>
    private static int Distance(string a, string b)
    {
        a = a.ToLowerInvariant();
        b = b.ToLowerInvariant();
        var row = Enumerable.Range(0, b.Length + 1).ToArray();
        for (int i = 1; i <= a.Length; i++)
        {
            int diagonal = row[0];
            row[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int above = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), diagonal + (a[i - 1] == b[j - 1] ? 0 : 1));
                diagonal = above;
            }
        }
        return row[b.Length];
    }
}
