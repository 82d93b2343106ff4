using Strata.Dockerfile.Shell;

namespace Strata.Dockerfile.Tests.Shell;

/// <summary>The modifiers the upstream tables do not cover (# ## % %% / //), escapes and the lexer modes.</summary>
public sealed class ShellLexerTests
{
    private static readonly Dictionary<string, string> Env = new()
    {
        ["FILE"] = "archive.tar.gz",
        ["PATHV"] = "/usr/local/bin/tool",
        ["EMPTY"] = "",
        ["WORDS"] = "a b  c",
    };

    [Theory]
    [InlineData("${FILE#*.}", "tar.gz")]
    [InlineData("${FILE##*.}", "gz")]
    [InlineData("${FILE%.*}", "archive.tar")]
    [InlineData("${FILE%%.*}", "archive")]
    [InlineData("${PATHV#/usr/}", "local/bin/tool")]
    [InlineData("${PATHV##*/}", "tool")]
    [InlineData("${PATHV%/*}", "/usr/local/bin")]
    [InlineData("${FILE/tar/zip}", "archive.zip.gz")]
    [InlineData("${FILE//a/A}", "Archive.tAr.gz")]
    [InlineData("${FILE/#nomatch/x}", "archive.tar.gz")]
    [InlineData("${PATHV//\\//:}", ":usr:local:bin:tool")]
    [InlineData("${FILE#\\*}", "archive.tar.gz")]
    [InlineData("${FILE?}", "archive.tar.gz")]
    [InlineData("${EMPTY-unset}", "")]
    [InlineData("${EMPTY:-empty}", "empty")]
    [InlineData("${EMPTY+set}", "set")]
    [InlineData("${EMPTY:+set}", "")]
    [InlineData("${NOPE%x}", "")]
    public void Pattern_and_default_modifiers_behave_like_BuildKit(string word, string expected)
    {
        Assert.Equal(expected, new ShellLexer().ProcessWord(word, Env));
    }

    [Theory]
    [InlineData("${NOPE?must be set}", "NOPE: must be set")]
    [InlineData("${EMPTY:?}", "EMPTY: is not allowed to be empty")]
    [InlineData("${NOPE?}", "NOPE: is not allowed to be unset")]
    [InlineData("${FILE/x", "missing '/'")]
    [InlineData("${FILE#\\a}", "invalid escape")]
    [InlineData("${FILE^^}", "unsupported modifier (^)")]
    public void Bad_substitutions_fail_with_a_message_naming_the_problem(string word, string fragment)
    {
        var ex = Assert.Throws<DockerfileException>(() => new ShellLexer().ProcessWord(word, Env));
        Assert.Contains(fragment, ex.Message, StringComparison.Ordinal);
        Assert.Contains("failed to process", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Backtick_escape_token_escapes_and_backslash_is_literal()
    {
        var lexer = new ShellLexer('`');
        Assert.Equal("C:\\app $FILE", lexer.ProcessWord("C:\\app `$FILE", Env));
        Assert.Equal("a b", lexer.ProcessWord("a` b", Env));
    }

    [Fact]
    public void Expansion_splits_only_unquoted_results_into_words()
    {
        var lexer = new ShellLexer();
        Assert.Equal(new[] { "x", "a", "b", "c" }, lexer.ProcessWords("x $WORDS", Env));
        Assert.Equal(new[] { "x", "a b  c" }, lexer.ProcessWords("x \"$WORDS\"", Env));
        Assert.Equal(new[] { "a" }, lexer.ProcessWords("\"\" a", Env));
    }

    [Fact]
    public void Matched_and_unmatched_variables_are_reported()
    {
        var result = new ShellLexer().Process("$FILE ${NOPE:-x} $1 ${EMPTY}", Env);
        Assert.Equal(new[] { "EMPTY", "FILE" }, result.Matched.Order(StringComparer.Ordinal));
        Assert.Equal(new[] { "1", "NOPE" }, result.Unmatched.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Skip_unset_env_keeps_references_to_unset_variables()
    {
        var lexer = new ShellLexer { SkipUnsetEnv = true };
        Assert.Equal("archive.tar.gz $NOPE ${NOPE} ${NOPE:-d}", lexer.ProcessWord("$FILE $NOPE ${NOPE} ${NOPE:-d}", Env));
    }

    [Fact]
    public void Raw_quotes_and_raw_escapes_keep_the_source_characters()
    {
        var lexer = new ShellLexer { RawQuotes = true, RawEscapes = true };
        Assert.Equal("'a b' \"c\" d\\ e", lexer.ProcessWord("'a b' \"c\" d\\ e", Env));
    }

    [Fact]
    public void Skip_process_quotes_expands_variables_but_keeps_quotes()
    {
        var lexer = new ShellLexer { SkipProcessQuotes = true };
        Assert.Equal("echo \"archive.tar.gz\" 'archive.tar.gz'", lexer.ProcessWord("echo \"$FILE\" '$FILE'", Env));
    }

    [Fact]
    public async Task Catastrophic_patterns_do_not_hang()
    {
        var env = new Dictionary<string, string> { ["V"] = new string('a', 5000) };
        // No clock: the lexer gives up with an error instead of backtracking without end; a
        // generous timeout only catches a hang, and fails the test.
        var error = await Task.Run(() => Assert.Throws<DockerfileException>(() => new ShellLexer().ProcessWord("${V/*a*a*a*a*a*a*a*a*a*a*b/x}", env)))
            .WaitAsync(TimeSpan.FromMinutes(2));
        Assert.Equal("failed to process \"${V/*a*a*a*a*a*a*a*a*a*a*b/x}\": pattern (*a*a*a*a*a*a*a*a*a*a*b) in substitution is too expensive to match", error.Message);
    }
}
