using System.Text.Json.Serialization;

namespace Strata.Dockerfile.Instructions;

/// <summary><c>LABEL k=v ...</c> (or the legacy <c>LABEL k v</c>).</summary>
public sealed record LabelInstruction(IReadOnlyList<KeyValue> Labels, bool IsLegacyForm) : Instruction
{
    [JsonIgnore]
    public override string Keyword => "LABEL";
}
