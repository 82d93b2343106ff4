using Strata.Dockerfile.Syntax;

namespace Strata.Dockerfile.Tests.Syntax;

public sealed class DockerfileParserTests
{
    [Fact]
    public void Directives_are_read_only_at_the_top()
    {
        var r = DockerfileParser.Parse("# syntax=docker/dockerfile:1.7\n# ESCAPE = `\n# check=skip=all\nFROM a\n# escape=\\\nRUN x `\n  y\n");
        Assert.Equal("docker/dockerfile:1.7", r.Directives.Syntax);
        Assert.Equal('`', r.EscapeToken);
        Assert.Equal("skip=all", r.Directives.Check);
        Assert.True(r.Directives.SyntaxIsBuiltinFrontend);
        Assert.Equal("(from \"a\")\n(run \"x   y\")", r.Root.Dump());
    }

    [Fact]
    public void A_directive_after_a_comment_is_just_a_comment()
    {
        var r = DockerfileParser.Parse("# hello\n# escape=`\nFROM a\n");
        Assert.Equal('\\', r.EscapeToken);
    }

    [Fact]
    public void Repeated_directive_is_an_error_on_its_line()
    {
        var ex = Assert.Throws<DockerfileException>(() => DockerfileParser.Parse("# escape=`\n# escape=\\\nFROM a\n"));
        Assert.StartsWith("Dockerfile:2:1: only one escape parser directive can be used", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_escape_token_is_rejected()
    {
        var ex = Assert.Throws<DockerfileException>(() => DockerfileParser.Parse("# escape=x\nFROM a\n"));
        Assert.Contains("invalid escape token 'x'", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("docker/dockerfile:1", true)]
    [InlineData("docker/dockerfile:1.7-labs", true)]
    [InlineData("docker.io/docker/dockerfile:1.4@sha256:abcd", true)]
    [InlineData("docker/dockerfile", true)]
    [InlineData("example.com/my/frontend:2", false)]
    [InlineData("docker/dockerfile:0.9", false)]
    public void Syntax_directive_recognises_the_builtin_frontend(string reference, bool builtin)
    {
        Assert.Equal(builtin, new ParserDirectives(reference, '\\', null).SyntaxIsBuiltinFrontend);
    }

    [Fact]
    public void Empty_continuation_lines_are_skipped_with_a_warning()
    {
        var r = DockerfileParser.Parse("FROM a\nRUN a \\\n\n  # comment inside\n  b\n");
        Assert.Equal("(from \"a\")\n(run \"a   b\")", r.Root.Dump());
        var w = Assert.Single(r.Warnings);
        Assert.Equal("NoEmptyContinuation", w.Rule);
        Assert.Equal(5, w.Line);
    }

    [Fact]
    public void Heredocs_are_read_after_the_line_in_order()
    {
        var r = DockerfileParser.Parse("FROM a\nRUN <<A cat && 3<<-\"B\" cat\none\nA\n\ttwo $x\n\tB\nCMD x\n");
        var run = r.Root.Children[1];
        Assert.Equal(2, run.Heredocs.Count);
        Assert.Equal(new Heredoc("A", 0, true, false, "one\n"), run.Heredocs[0]);
        Assert.Equal(new Heredoc("B", 3, false, true, "\ttwo $x\n"), run.Heredocs[1]);
        Assert.Equal("two $x\n", run.Heredocs[1].EffectiveContent);
        Assert.Equal((2, 6), (run.StartLine, run.EndLine));
        Assert.Equal(7, r.Root.Children[2].StartLine);
    }

    [Fact]
    public void Heredoc_markers_in_exec_form_or_other_instructions_are_plain_text()
    {
        var r = DockerfileParser.Parse("FROM a\nRUN [\"echo\", \"<<EOF\"]\nENV A=<<EOF\n");
        Assert.All(r.Root.Children, c => Assert.Empty(c.Heredocs));
    }

    [Fact]
    public void Unterminated_heredoc_is_an_error_at_its_instruction()
    {
        var ex = Assert.Throws<DockerfileException>(() => DockerfileParser.Parse("FROM a\nRUN <<EOF\necho\n"));
        Assert.StartsWith("Dockerfile:2:1: unterminated heredoc EOF", ex.Message, StringComparison.Ordinal);
        Assert.Equal("RUN <<EOF", ex.SourceLine);
    }

    [Fact]
    public void Error_names_file_line_and_column_and_shows_the_line()
    {
        var ex = Assert.Throws<DockerfileException>(() => DockerfileParser.Parse("FROM a\n  ENV NAME\n", "app.Dockerfile"));
        Assert.Equal("app.Dockerfile:2:3: ENV requires a value: use ENV NAME=VALUE (or the legacy ENV NAME VALUE) in: ENV NAME", ex.Message);
        Assert.Equal(new SourcePosition(2, 3), ex.Position);
    }

    [Fact]
    public void Nested_JSON_is_rejected_and_invalid_JSON_is_shell_form()
    {
        Assert.Throws<DockerfileException>(() => DockerfileParser.Parse("CMD [\"a\", 1]\n"));
        var r = DockerfileParser.Parse("CMD [\"a\", \n");
        Assert.False(r.Root.Children[0].IsJson);
    }

    [Fact]
    public void Byte_order_mark_and_CRLF_line_endings_are_accepted()
    {
        var r = DockerfileParser.Parse("\uFEFFFROM a\r\nRUN b \\\r\n c\r\n");
        Assert.Equal("(from \"a\")\n(run \"b  c\")", r.Root.Dump());
    }
}
