using System.Text.Json.Serialization;

namespace Strata.Dockerfile.Instructions;

/// <summary><c>FROM [--platform=P] BASE [AS NAME]</c>: starts a stage. <see cref="StageName"/> is lower-cased.</summary>
public sealed record FromInstruction(string BaseName, string? StageName, string? Platform) : Instruction
{
    [JsonIgnore]
    public override string Keyword => "FROM";
}
