using System.Text.Json.Serialization;

namespace Strata.Dockerfile.Instructions;

/// <summary>Deprecated <c>MAINTAINER name</c> (sets the config's Author).</summary>
public sealed record MaintainerInstruction(string Maintainer) : Instruction
{
    [JsonIgnore]
    public override string Keyword => "MAINTAINER";
}
