using Strata.Dockerfile.Syntax;

namespace Strata.Dockerfile.Tests.Syntax;

/// <summary>Heredoc delimiters and bodies, following the cases BuildKit's own parser tests pin down.</summary>
public sealed class HeredocTests
{
    private static IReadOnlyList<Heredoc> HeredocsOf(string instructionAndBody) =>
        DockerfileParser.Parse("FROM alpine\n" + instructionAndBody).Root.Children[1].Heredocs;

    [Theory]
    [InlineData("RUN <<EMPTY\nEMPTY\n", "EMPTY", "", true, false, 0)]
    [InlineData("RUN 3<<EMPTY2\nEMPTY2\n", "EMPTY2", "", true, false, 3)]
    [InlineData("RUN <<INDENT\n\tfoo\n\tbar\nINDENT\n", "INDENT", "\tfoo\n\tbar\n", true, false, 0)]
    [InlineData("RUN <<-UNINDENT2\n\tbaz\n\tquux\n\tUNINDENT2\n", "UNINDENT2", "\tbaz\n\tquux\n", true, true, 0)]
    [InlineData("RUN <<-'NOEXPAND'\n\tdon't expand $NAME\nNOEXPAND\n", "NOEXPAND", "\tdon't expand $NAME\n", false, true, 0)]
    [InlineData("RUN <<COMMENT\n# internal comment\necho foo bar # trailing comment\nCOMMENT\n", "COMMENT", "# internal comment\necho foo bar # trailing comment\n", true, false, 0)]
    [InlineData("RUN --mount=type=cache,target=/foo <<MOUNT\necho hello\nMOUNT\n", "MOUNT", "echo hello\n", true, false, 0)]
    [InlineData("RUN <<COMPLEX python3\nprint('hello world')\nCOMPLEX\n", "COMPLEX", "print('hello world')\n", true, false, 0)]
    [InlineData("COPY <<file.txt /dest\nhello world\nfile.txt\n", "file.txt", "hello world\n", true, false, 0)]
    [InlineData("RUN <<eo'f'\necho foo\neof\n", "eof", "echo foo\n", false, false, 0)]
    [InlineData("RUN <<eo\\'f\necho foo\neo'f\n", "eo'f", "echo foo\n", true, false, 0)]
    [InlineData("RUN <<'e'o\\'f\necho foo\neo'f\n", "eo'f", "echo foo\n", false, false, 0)]
    [InlineData("RUN <<'one two'\necho bar\none two\n", "one two", "echo bar\n", false, false, 0)]
    [InlineData("RUN <<$EOF\n$EOF\n", "$EOF", "", true, false, 0)]
    [InlineData("RUN <<  EOF\nEOF\n", "EOF", "", true, false, 0)]
    [InlineData("RUN <<  EOF  > foo\nEOF\n", "EOF", "", true, false, 0)]
    [InlineData("RUN <<- EOF\nEOF\n", "EOF", "", true, true, 0)]
    [InlineData("RUN << -EOF\n-EOF\n", "-EOF", "", true, false, 0)]
    public void Heredoc_delimiter_and_body_are_read_like_BuildKit(string text, string name, string content, bool expand, bool chomp, int fd)
    {
        var doc = Assert.Single(HeredocsOf(text));
        Assert.Equal(new Heredoc(name, fd, expand, chomp, content), doc);
    }

    [Fact]
    public void Several_heredocs_are_read_in_order_each_to_its_own_terminator()
    {
        var docs = HeredocsOf("COPY <<X <<Y /dest\nY\nX\nX\nY\n");
        Assert.Equal(new[] { ("X", "Y\n"), ("Y", "X\n") }, docs.Select(d => (d.Name, d.Content)));
    }

    [Theory]
    [InlineData("USER <<INVALID\n")]
    [InlineData("RUN \"<<NOHEREDOC\"\n")]
    [InlineData("RUN '<<EOF'\n")]
    [InlineData("RUN [\"<<EOF\"]\n")]
    [InlineData("RUN [\"<<'EOF'\"]\n")]
    public void Quoted_JSON_or_unsupported_instructions_have_no_heredocs(string text)
    {
        Assert.Empty(DockerfileParser.Parse("FROM alpine\n" + text).Root.Children[1].Heredocs);
    }

    [Theory]
    [InlineData("<<EOF")]
    [InlineData("<<'EOF'")]
    [InlineData("<<\"EOF\"")]
    [InlineData("<<-EOF")]
    [InlineData("<<-'EOF'")]
    [InlineData("<<-\"EOF\"")]
    [InlineData("<<EO\"F\"")]
    [InlineData("<< EOF")]
    [InlineData("<<- EOF")]
    public void Valid_heredoc_words_name_EOF(string word)
    {
        Assert.Equal("EOF", DockerfileParser.ParseHeredoc(word)!.Name);
    }

    [Theory]
    [InlineData("")]
    [InlineData("EOF")]
    [InlineData("<<")]
    [InlineData("<<-")]
    [InlineData("<EOF")]
    [InlineData("<<<EOF")]
    [InlineData("<<EOF sh")]
    public void Other_words_are_not_heredocs(string word)
    {
        Assert.Null(DockerfileParser.ParseHeredoc(word));
    }

    [Theory]
    [InlineData("<<'EOF")]
    [InlineData("<<\"EOF")]
    [InlineData("<<EOF'")]
    [InlineData("<<EOF\"")]
    public void Unbalanced_quotes_in_a_heredoc_word_are_errors(string word)
    {
        Assert.Throws<DockerfileException>(() => DockerfileParser.ParseHeredoc(word));
    }
}
