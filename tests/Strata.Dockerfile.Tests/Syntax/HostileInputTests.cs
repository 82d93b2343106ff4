using FsCheck;
using FsCheck.Fluent;
using Strata.Dockerfile.Expansion;
using Strata.Dockerfile.Shell;

namespace Strata.Dockerfile.Tests.Syntax;

/// <summary>
/// Property tests: whatever the text, the front end either succeeds or throws
/// <see cref="DockerfileException"/>, and it finishes: each property runs under a generous
/// timeout that fails the test on a hang (no clock decides what is quick).
/// </summary>
public sealed class HostileInputTests
{
    private static readonly string[] Fragments =
    [
        "FROM ", "from ", "RUN ", "COPY ", "ADD ", "ENV ", "ARG ", "LABEL ", "ONBUILD ", "HEALTHCHECK ", "SHELL ", "CMD ", "ENTRYPOINT ",
        "EXPOSE ", "VOLUME ", "USER ", "WORKDIR ", "STOPSIGNAL ", "MAINTAINER ", "AS ", " as ", "NONE", "CMD",
        "--mount=", "type=cache,target=/x", ",", "--from=", "--chmod=", "--platform=", "--interval=", "--", "-",
        "<<", "<<-", "EOF", "\"EOF\"", "'", "\"", "\\", "`", "$", "${", "}", "{", ":-", ":+", ":?", "#", "##", "%", "%%", "/", "//",
        "[", "]", "[\"a\", \"b\"]", "=", " ", "\t", "\n", "\r\n", "\\\n", "# escape=`\n", "# syntax=x\n", "# check=skip=all\n",
        "a", "b", "0", "1", "scratch", "\uFEFF", "한국어", "\u0000", "\u00a0",
    ];

    private static Gen<string> DockerfileLike() =>
        Gen.ArrayOf(Gen.Elements(Fragments)).Select(parts => string.Concat(parts));

    private static bool OnlyDockerfileExceptions(string text)
    {
        try
        {
            var definition = DockerfileFrontend.Parse(text);
            _ = BuildArgsScope.Expand(definition, new BuildOptions { BuildArgs = new Dictionary<string, string> { ["a"] = "1" } });
            return true;
        }
        catch (DockerfileException)
        {
            return true;
        }
    }

    /// <summary>Runs a property off the test thread; a hang fails the test after a generous timeout.</summary>
    private static Task FinishesAsync(Action property) => Task.Run(property).WaitAsync(TimeSpan.FromMinutes(3));

    [Fact]
    public Task Dockerfile_shaped_garbage_only_ever_raises_DockerfileException() =>
        FinishesAsync(() => Prop.ForAll(DockerfileLike().ToArbitrary(), OnlyDockerfileExceptions).QuickCheckThrowOnFailure());

    [Fact]
    public Task Arbitrary_strings_only_ever_raise_DockerfileException() =>
        FinishesAsync(() => Prop.ForAll<string>(s => OnlyDockerfileExceptions(s ?? "")).QuickCheckThrowOnFailure());

    [Fact]
    public Task Every_instruction_line_with_arbitrary_arguments_is_handled()
    {
        var gen = from keyword in Gen.Elements(Fragments.Take(19).ToArray())
                  from rest in DockerfileLike()
                  select "FROM a\n" + keyword + rest + "\n";
        return FinishesAsync(() => Prop.ForAll(gen.ToArbitrary(), OnlyDockerfileExceptions).QuickCheckThrowOnFailure());
    }

    [Fact]
    public Task The_shell_lexer_only_ever_raises_DockerfileException()
    {
        var env = new Dictionary<string, string> { ["a"] = "x y", ["b"] = "" };
        return FinishesAsync(() => Prop.ForAll(DockerfileLike().ToArbitrary(), text =>
        {
            try
            {
                _ = new ShellLexer().ProcessWords(text, env);
                _ = new ShellLexer('`') { RawQuotes = true, RawEscapes = true, SkipUnsetEnv = true }.ProcessWord(text, env);
                return true;
            }
            catch (DockerfileException)
            {
                return true;
            }
        }).QuickCheckThrowOnFailure());
    }

    [Fact]
    public void Deeply_nested_and_very_long_input_finishes()
    {
        static string Nested(int depth) => string.Concat(Enumerable.Repeat("${a:-", depth)) + string.Concat(Enumerable.Repeat("}", depth));
        var env = new Dictionary<string, string> { ["a"] = "x y" };
        Assert.Equal("x y", new ShellLexer().ProcessWord(Nested(400), env));
        Assert.Throws<DockerfileException>(() => new ShellLexer().ProcessWord(Nested(200000), env));
        var longLine = "FROM a\nRUN " + string.Concat(Enumerable.Repeat("echo hi \\\n", 20000)) + "\n";
        Assert.Single(DockerfileFrontend.Parse(longLine).Stages[0].Instructions);
        var json = "FROM a\nCMD " + new string('[', 100000) + "\n";
        Assert.Single(DockerfileFrontend.Parse(json).Stages[0].Instructions);
    }
}
