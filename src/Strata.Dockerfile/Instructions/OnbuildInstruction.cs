using System.Text.Json.Serialization;

namespace Strata.Dockerfile.Instructions;

/// <summary>
/// <c>ONBUILD INSTRUCTION ...</c>: stored in the image config as <see cref="Expression"/> and run
/// when a later build uses the image as a base. <see cref="Trigger"/> is the parsed trigger,
/// never expanded here.
/// </summary>
public sealed record OnbuildInstruction(string Expression, Instruction Trigger) : Instruction
{
    [JsonIgnore]
    public override string Keyword => "ONBUILD";
}
