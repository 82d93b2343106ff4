using System.Text.Json.Serialization;

namespace Strata.Dockerfile.Instructions;

/// <summary><c>CMD</c>: the default command (or arguments to ENTRYPOINT).</summary>
public sealed record CmdInstruction(CommandLine Command) : Instruction
{
    [JsonIgnore]
    public override string Keyword => "CMD";
}
