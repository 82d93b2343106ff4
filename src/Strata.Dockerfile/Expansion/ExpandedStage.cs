using Strata.Dockerfile.Instructions;

namespace Strata.Dockerfile.Expansion;

/// <summary>
/// A stage after expansion: <see cref="Stage"/> carries the expanded base name, platform and
/// instructions; <see cref="BaseStage"/> is the index of the stage it builds on (null for an
/// image); <see cref="Env"/> is the environment at the end of the stage (what its image config
/// will hold).
/// </summary>
public sealed record ExpandedStage(Stage Stage, int? BaseStage, IReadOnlyList<ExpandedStep> Steps, IReadOnlyList<KeyValue> Env);
