using System.Text;

namespace Strata.Analysis.Lint;

/// <summary>
/// Splits a RUN script into simple commands at <c>&amp;&amp;</c>, <c>||</c>, <c>;</c>, <c>|</c>,
/// <c>&amp;</c>, newlines and parentheses. Not a shell: enough to see which programs run with
/// which words, which is all the rules need. Command substitutions are kept inside their word
/// (<c>$(date)</c>), so <see cref="UsesCommand"/> looks for them there.
/// </summary>
internal static class ShellScript
{
    private static readonly HashSet<string> Wrappers = new(StringComparer.Ordinal) { "sudo", "env", "exec", "command", "nice", "time", "xargs" };

    public static IReadOnlyList<ShellCommand> Split(string script)
    {
        var commands = new List<ShellCommand>();
        var words = new List<string>();
        var word = new StringBuilder();
        var text = new StringBuilder();
        bool inWord = false;
        char quote = '\0';
        int depth = 0; // inside $( ... ) or backticks: separators belong to the word

        void EndWord()
        {
            if (inWord) words.Add(word.ToString());
            word.Clear();
            inWord = false;
        }
        void EndCommand()
        {
            EndWord();
            var effective = words.SkipWhile(IsAssignmentOrWrapper).ToList();
            if (effective.Count > 0) commands.Add(new ShellCommand(effective, text.ToString().Trim()));
            words.Clear();
            text.Clear();
        }

        for (int i = 0; i < script.Length; i++)
        {
            char c = script[i];
            if (quote != '\0')
            {
                if (c == quote) quote = '\0';
                else if (c == '\\' && quote == '"' && i + 1 < script.Length) word.Append(script[++i]);
                else word.Append(c);
                text.Append(c);
                continue;
            }
            if (c == '\\' && i + 1 < script.Length)
            {
                char next = script[++i];
                if (next == '\n') { EndWord(); text.Append(' '); continue; }
                word.Append(next);
                inWord = true;
                text.Append(c).Append(next);
                continue;
            }
            if (depth > 0)
            {
                if (c == ')' || c == '`') depth--;
                else if (c == '(' && i > 0 && script[i - 1] == '$') depth++;
                word.Append(c);
                text.Append(c);
                continue;
            }
            switch (c)
            {
                case '\'' or '"':
                    quote = c;
                    inWord = true;
                    text.Append(c);
                    break;
                case '$' when i + 1 < script.Length && script[i + 1] == '(':
                case '`':
                    depth++;
                    word.Append(c);
                    if (c == '$') word.Append(script[++i]);
                    inWord = true;
                    text.Append(c);
                    if (c == '$') text.Append('(');
                    break;
                case ';' or '&' or '|' or '\n' or '(' or ')':
                    EndCommand();
                    break;
                case ' ' or '\t' or '\r':
                    EndWord();
                    text.Append(c);
                    break;
                default:
                    word.Append(c);
                    inWord = true;
                    text.Append(c);
                    break;
            }
        }
        EndCommand();
        return commands;
    }

    /// <summary>True when the script runs <paramref name="program"/> as a command or inside a command substitution.</summary>
    public static bool UsesCommand(IReadOnlyList<ShellCommand> commands, string program) =>
        commands.Any(c => c.Program == program
            || c.Words.Any(w => w.Contains("$(" + program, StringComparison.Ordinal) || w.Contains('`' + program, StringComparison.Ordinal)));

    private static bool IsAssignmentOrWrapper(string w) =>
        Wrappers.Contains(w) || (w.Length > 0 && !w.StartsWith('-') && w.IndexOf('=', StringComparison.Ordinal) > 0 && (char.IsLetter(w[0]) || w[0] == '_') && w.TakeWhile(ch => ch != '=').All(ch => char.IsLetterOrDigit(ch) || ch == '_'));
}
