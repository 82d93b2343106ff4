namespace Strata.Analysis.Lint;

/// <summary>What <see cref="DockerfileLinter"/> found in one Dockerfile, sorted by line and column.</summary>
public sealed record LintReport(string File, IReadOnlyList<LintFinding> Findings)
{
    /// <summary>
    /// True when a finding is at least as bad as <paramref name="threshold"/> (null: nothing fails),
    /// as hadolint's <c>--failure-threshold</c>.
    /// </summary>
    public bool Fails(LintSeverity? threshold) => threshold is { } t && Findings.Any(f => f.Severity <= t);

    public int Count(LintSeverity severity) => Findings.Count(f => f.Severity == severity);
}
