using System.Text.Json.Serialization;

namespace Strata.Dockerfile.Instructions;

/// <summary><c>WORKDIR path</c> (relative paths resolve against the previous WORKDIR).</summary>
public sealed record WorkdirInstruction(string Path) : Instruction
{
    [JsonIgnore]
    public override string Keyword => "WORKDIR";
}
