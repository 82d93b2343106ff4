using Strata.Dockerfile.Graph;

namespace Strata.Dockerfile.Expansion;

/// <summary>
/// The result of scoping and expansion: the stage graph (pruned to the target), the stages the
/// target needs in build order, the global ARG values, and all warnings (parser, lint, expansion).
/// </summary>
public sealed record ExpandedDockerfile(
    StageGraph Graph,
    IReadOnlyList<ExpandedStage> Stages,
    IReadOnlyDictionary<string, string> GlobalArgs,
    IReadOnlyList<DockerfileWarning> Warnings);
