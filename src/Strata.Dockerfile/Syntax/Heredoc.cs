namespace Strata.Dockerfile.Syntax;

/// <summary>
/// A here-document attached to RUN, COPY or ADD. <see cref="Expand"/> is false when any part of
/// the delimiter was quoted (<c>&lt;&lt;"EOF"</c>), which turns off variable expansion of the body;
/// <see cref="Chomp"/> (<c>&lt;&lt;-EOF</c>) strips leading tabs. <see cref="Content"/> keeps the
/// line endings as written and is not yet chomped.
/// </summary>
public sealed record Heredoc(string Name, int FileDescriptor, bool Expand, bool Chomp, string Content)
{
    /// <summary>The body with leading tabs removed from every line when <see cref="Chomp"/> is set.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string EffectiveContent => Chomp ? ChompContent(Content) : Content;

    /// <summary>Removes leading tabs from every line, as <c>&lt;&lt;-</c> asks.</summary>
    public static string ChompContent(string content)
    {
        ArgumentNullException.ThrowIfNull(content);
        var sb = new System.Text.StringBuilder(content.Length);
        bool lineStart = true;
        foreach (var ch in content)
        {
            if (lineStart && ch == '\t') continue;
            lineStart = ch == '\n';
            sb.Append(ch);
        }
        return sb.ToString();
    }
}
