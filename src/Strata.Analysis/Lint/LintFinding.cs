namespace Strata.Analysis.Lint;

/// <summary>One finding: which rule, how bad, what exactly, and where (1-based line and column).</summary>
public sealed record LintFinding(string Code, LintSeverity Severity, string Message, int Line, int Column)
{
    /// <summary>
    /// The first line of the instruction the finding is about (0: none, e.g. a parse error): the
    /// line a build records for the step, so <see cref="ImageMeasurement"/> can find its layer.
    /// </summary>
    public int InstructionLine { get; init; }

    /// <summary>The image path the finding is about, when it names one (the secret a COPY puts at /root/.ssh/id_rsa).</summary>
    public string? ImagePath { get; init; }

    /// <summary>Bytes measured in an image of the Dockerfile (<c>strata lint --image</c>); null without one.</summary>
    public LintMeasurement? Measured { get; init; }
}
