using System.Text.RegularExpressions;

namespace Strata.Dockerfile.Syntax;

/// <summary>
/// Recognises parser directives while they last: only comment lines of the form
/// <c># key=value</c> with a known key, before anything else (a blank line, another comment or an
/// instruction ends the directive block). Each directive may appear once.
/// </summary>
internal sealed partial class DirectiveState
{
    private readonly HashSet<string> _seen = [];
    private bool _done;

    public char Escape { get; private set; } = '\\';
    public string? Syntax { get; private set; }
    public string? Check { get; private set; }

    // Go's \s is ASCII only; so is this class.
    [GeneratedRegex(@"^([a-zA-Z][a-zA-Z0-9]*)[\t\n\f\r ]*=[\t\n\f\r ]*(.+?)[\t\n\f\r ]*$", RegexOptions.CultureInvariant)]
    private static partial Regex DirectivePattern();

    /// <summary>True when the line was a directive (and applied).</summary>
    public bool TryParse(string line)
    {
        if (_done) return false;
        if (!line.StartsWith('#'))
        {
            _done = true;
            return false;
        }
        var m = DirectivePattern().Match(line[1..].TrimStart());
        if (!m.Success)
        {
            _done = true;
            return false;
        }
        var key = m.Groups[1].Value.ToLowerInvariant();
        if (key is not ("syntax" or "escape" or "check"))
        {
            _done = true;
            return false;
        }
        if (!_seen.Add(key)) throw new DockerfileException($"only one {key} parser directive can be used");
        var value = m.Groups[2].Value;
        switch (key)
        {
            case "escape":
                if (value is not ("`" or "\\")) throw new DockerfileException($"invalid escape token '{value}' does not match ` or \\");
                Escape = value[0];
                break;
            case "syntax":
                Syntax = value;
                break;
            default:
                Check = value;
                break;
        }
        return true;
    }

    public ParserDirectives ToDirectives() => new(Syntax, Escape, Check);
}
