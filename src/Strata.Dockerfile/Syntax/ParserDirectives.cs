namespace Strata.Dockerfile.Syntax;

/// <summary>
/// The parser directives found at the top of a Dockerfile (<c># syntax=</c>, <c># escape=</c>,
/// <c># check=</c>). Null means the directive was absent.
/// </summary>
public sealed record ParserDirectives(string? Syntax, char EscapeToken, string? Check)
{
    /// <summary>No directives: backslash escapes.</summary>
    public static ParserDirectives Default { get; } = new(null, '\\', null);

    /// <summary>
    /// True when <see cref="Syntax"/> names BuildKit's own Dockerfile frontend
    /// (<c>docker/dockerfile</c>, any 1.x tag or digest, optionally on docker.io): Strata then
    /// uses its own front end and pulls nothing.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool SyntaxIsBuiltinFrontend => Syntax is null || IsBuiltinFrontend(Syntax);

    internal static bool IsBuiltinFrontend(string reference)
    {
        var r = reference.Trim();
        foreach (var prefix in (ReadOnlySpan<string>)["docker.io/docker/dockerfile", "docker/dockerfile", "docker.io/docker/dockerfile-upstream", "docker/dockerfile-upstream"])
        {
            if (!r.StartsWith(prefix, StringComparison.Ordinal)) continue;
            var rest = r[prefix.Length..];
            if (rest.Length == 0 || rest[0] == '@') return true;
            if (rest[0] != ':') continue;
            var tag = rest[1..];
            var at = tag.IndexOf('@', StringComparison.Ordinal);
            if (at >= 0) tag = tag[..at];
            if (tag == "1" || tag.StartsWith("1.", StringComparison.Ordinal) || tag.StartsWith("1-", StringComparison.Ordinal) || tag is "latest" or "labs") return true;
        }
        return false;
    }
}
