namespace Strata.Dockerfile.Syntax;

/// <summary>What <see cref="DockerfileParser.Parse"/> produced: the tree, directives, source text and warnings.</summary>
public sealed record ParseResult(
    Node Root,
    ParserDirectives Directives,
    IReadOnlyList<DockerfileWarning> Warnings,
    IReadOnlyList<string> Lines,
    string FileName)
{
    /// <summary>The escape token in effect (backslash unless <c># escape=`</c>).</summary>
    public char EscapeToken => Directives.EscapeToken;

    /// <summary>The text of a 1-based physical line, or null when out of range.</summary>
    public string? LineText(int line) => line >= 1 && line <= Lines.Count ? Lines[line - 1] : null;

    /// <summary>An error located at the given node.</summary>
    public DockerfileException ErrorAt(Node node, string reason)
    {
        ArgumentNullException.ThrowIfNull(node);
        return new DockerfileException(reason, FileName, new SourcePosition(node.StartLine, node.StartColumn), LineText(node.StartLine));
    }
}
