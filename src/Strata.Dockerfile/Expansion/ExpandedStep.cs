using Strata.Dockerfile.Instructions;

namespace Strata.Dockerfile.Expansion;

/// <summary>
/// One instruction with its words expanded the way BuildKit expands them, plus, for RUN, the
/// environment the command runs with (ENV over in-scope ARG values, plus proxy build args).
/// </summary>
public sealed record ExpandedStep(Instruction Instruction, IReadOnlyDictionary<string, string>? RunEnvironment);
