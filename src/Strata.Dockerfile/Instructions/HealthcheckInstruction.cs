using System.Text.Json.Serialization;

namespace Strata.Dockerfile.Instructions;

/// <summary><c>HEALTHCHECK [--interval ...] CMD ...</c> or <c>HEALTHCHECK NONE</c>.</summary>
public sealed record HealthcheckInstruction(HealthcheckConfig Health) : Instruction
{
    [JsonIgnore]
    public override string Keyword => "HEALTHCHECK";
}
