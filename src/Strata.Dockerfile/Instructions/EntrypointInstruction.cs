using System.Text.Json.Serialization;

namespace Strata.Dockerfile.Instructions;

/// <summary><c>ENTRYPOINT</c>; an empty exec form (<c>ENTRYPOINT []</c>) clears it.</summary>
public sealed record EntrypointInstruction(CommandLine Command) : Instruction
{
    [JsonIgnore]
    public override string Keyword => "ENTRYPOINT";
}
