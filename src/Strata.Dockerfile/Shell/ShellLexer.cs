namespace Strata.Dockerfile.Shell;

/// <summary>
/// Shell-style word expansion exactly as BuildKit's Dockerfile lexer does it (not a real shell):
/// single and double quotes, the escape token, <c>$v</c>, <c>${v}</c> and the modifiers
/// <c>:- - :+ + :? ? # ## % %% / //</c>. Positional and special parameters are never set.
/// Instances are immutable and safe to share; each call keeps its own state.
/// </summary>
public sealed class ShellLexer
{
    public ShellLexer(char escapeToken = '\\')
    {
        EscapeToken = escapeToken;
    }

    // Compiled ${v#p}/${v%p}/${v/p/r} patterns: a Dockerfile repeats the same few many times, and
    // building a Regex costs far more than matching it. Bounded; private to this lexer.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string Pattern, bool Greedy, bool Anchored), System.Text.RegularExpressions.Regex> _patterns = new();

    internal System.Text.RegularExpressions.Regex Pattern(string pattern, bool greedy, bool anchored)
    {
        var key = (pattern, greedy, anchored);
        if (_patterns.TryGetValue(key, out var re)) return re;
        re = ShellPattern.ToRegex(pattern, greedy, anchored);
        if (_patterns.Count > 256) _patterns.Clear();
        _patterns[key] = re;
        return re;
    }

    /// <summary>The escape token: backslash, or backtick under <c># escape=`</c>.</summary>
    public char EscapeToken { get; }

    /// <summary>Keep quote characters in the output (used to detect quoted heredoc delimiters).</summary>
    public bool RawQuotes { get; init; }

    /// <summary>Keep escape tokens in the output.</summary>
    public bool RawEscapes { get; init; }

    /// <summary>Treat quotes as ordinary characters.</summary>
    public bool SkipProcessQuotes { get; init; }

    /// <summary>
    /// Keep a heredoc operator and its delimiter in one word (<c>&lt;&lt;- EOF</c> -> one word), as
    /// BuildKit's lexer does when the parser looks for heredocs on an instruction line.
    /// </summary>
    internal bool HeredocOperators { get; init; }

    /// <summary>Leave references to unset variables as written instead of expanding them to nothing.</summary>
    public bool SkipUnsetEnv { get; init; }

    /// <summary>Expands <paramref name="word"/> as one word (spaces kept).</summary>
    public string ProcessWord(string word, IReadOnlyDictionary<string, string> env) => Run(word, env, collectWords: false).Result;

    /// <summary>Expands and splits into words; quoted spaces do not split, empty quotes vanish.</summary>
    public IReadOnlyList<string> ProcessWords(string word, IReadOnlyDictionary<string, string> env) => Process(word, env).Words;

    /// <summary>Expands and also reports which variables were used and which were unset.</summary>
    public ShellWordResult Process(string word, IReadOnlyDictionary<string, string> env) => Run(word, env, collectWords: true);

    /// <summary>Like <see cref="Process"/>, but <see cref="ShellWordResult.Words"/> is left empty (cheaper).</summary>
    internal ShellWordResult ProcessSingle(string word, IReadOnlyDictionary<string, string> env) => Run(word, env, collectWords: false);

    private ShellWordResult Run(string word, IReadOnlyDictionary<string, string> env, bool collectWords)
    {
        ArgumentNullException.ThrowIfNull(word);
        ArgumentNullException.ThrowIfNull(env);
        var scanner = new ShellWordScanner(this, word, env);
        try
        {
            var (result, words) = scanner.ProcessStopOn(-1, RawEscapes, collectWords);
            return new ShellWordResult(result, words, scanner.Matched, scanner.Unmatched);
        }
        catch (DockerfileException ex)
        {
            throw new DockerfileException($"failed to process \"{word}\": {ex.Reason}");
        }
    }
}
