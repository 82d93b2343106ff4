using System.Text.Json.Serialization;

namespace Strata.Dockerfile.Instructions;

/// <summary><c>RUN [--mount=...]... [--network=N] [--security=S] command</c>, with its heredocs.</summary>
public sealed record RunInstruction(CommandLine Command, IReadOnlyList<HeredocSource> Heredocs, IReadOnlyList<RunMount> Mounts, RunNetwork Network, RunSecurity Security) : Instruction
{
    [JsonIgnore]
    public override string Keyword => "RUN";
}
