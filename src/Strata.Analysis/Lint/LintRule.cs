namespace Strata.Analysis.Lint;

/// <summary>
/// One lint rule: a stable <see cref="Code"/> (BuildKit's check name where BuildKit has the same
/// rule, <c>STRnnn</c> otherwise), a one-line <see cref="Summary"/>, the <see cref="Fix"/>, the
/// hadolint rule it corresponds to (null when hadolint has none) and a page that explains it.
/// </summary>
public sealed record LintRule(string Code, string Name, LintSeverity Severity, string Summary, string Fix, string? Hadolint, string HelpUri)
{
    /// <summary>True for the rules the Dockerfile front end reports while parsing (BuildKit's checks).</summary>
    public bool FromFrontend { get; init; }
}
