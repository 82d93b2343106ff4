using System.Text.Json.Serialization;

namespace Strata.Dockerfile.Instructions;

/// <summary><c>ENV k=v ...</c> (or the legacy <c>ENV k v</c>, where the value is the rest of the line).</summary>
public sealed record EnvInstruction(IReadOnlyList<KeyValue> Variables, bool IsLegacyForm) : Instruction
{
    [JsonIgnore]
    public override string Keyword => "ENV";
}
