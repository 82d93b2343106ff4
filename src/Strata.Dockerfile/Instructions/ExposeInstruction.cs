using System.Text.Json.Serialization;

namespace Strata.Dockerfile.Instructions;

/// <summary><c>EXPOSE port[/proto]...</c>.</summary>
public sealed record ExposeInstruction(IReadOnlyList<string> Ports) : Instruction
{
    [JsonIgnore]
    public override string Keyword => "EXPOSE";
}
