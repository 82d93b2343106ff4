using System.Text.Json.Serialization;

namespace Strata.Dockerfile.Instructions;

/// <summary><c>SHELL ["executable", "args"...]</c>: JSON form only.</summary>
public sealed record ShellInstruction(IReadOnlyList<string> Shell) : Instruction
{
    [JsonIgnore]
    public override string Keyword => "SHELL";
}
