using System.Text.Json.Serialization;

namespace Strata.Dockerfile.Instructions;

/// <summary><c>ARG name[=default] ...</c>. Before the first FROM it declares global (meta) args.</summary>
public sealed record ArgInstruction(IReadOnlyList<ArgDefinition> Args) : Instruction
{
    [JsonIgnore]
    public override string Keyword => "ARG";
}
