using System.Text.Json.Serialization;

namespace Strata.Dockerfile.Instructions;

/// <summary><c>USER user[:group]</c>.</summary>
public sealed record UserInstruction(string User) : Instruction
{
    [JsonIgnore]
    public override string Keyword => "USER";
}
