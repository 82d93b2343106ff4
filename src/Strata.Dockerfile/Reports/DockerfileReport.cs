using Strata.Dockerfile.Graph;

namespace Strata.Dockerfile.Reports;

/// <summary>
/// What Strata understood of a Dockerfile, for <c>strata dockerfile parse</c> and for tools:
/// directives, global ARG values, every stage (expanded when it is needed for the target), the
/// edges between stages and the warnings.
/// </summary>
public sealed record DockerfileReport(
    string? Syntax,
    string EscapeToken,
    string? Check,
    string Target,
    IReadOnlyDictionary<string, string> GlobalArgs,
    IReadOnlyList<StageReport> Stages,
    IReadOnlyList<StageEdge> Edges,
    IReadOnlyList<DockerfileWarning> Warnings);
