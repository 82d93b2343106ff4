namespace Strata.Build.Progress;

/// <summary>
/// A front-end finding about the Dockerfile (BuildKit's lint checks: <c>SecretsUsedInArgOrEnv</c>,
/// <c>UndefinedVar</c>, ...), reported once, before any step runs. <see cref="Line"/> is 1-based;
/// 0 when the finding has no line (unused build args). <see cref="Source"/> is the Dockerfile's
/// text, which BuildKit's rawjson warnings carry as their source info.
/// </summary>
public sealed record BuildWarning(string Rule, string Message, string File, int Line)
{
    public string Source { get; init; } = "";

    /// <summary>The rule's documentation page for BuildKit's rules; null for Strata's own ones.</summary>
    public string? Url { get; init; }

    /// <summary>BuildKit's one-line form: <c>Rule: message (line N)</c>.</summary>
    public string ShortText => Line > 0 ? $"{Rule}: {Message} (line {Line})" : $"{Rule}: {Message}";

    /// <summary>The one-line form with the file instead of the bare line: <c>Rule: message (Dockerfile:N)</c>.</summary>
    public string WithLocation => Line > 0 ? $"{Rule}: {Message} ({File}:{Line})" : $"{Rule}: {Message}";
}
