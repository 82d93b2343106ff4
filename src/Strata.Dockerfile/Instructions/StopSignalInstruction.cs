using System.Text.Json.Serialization;

namespace Strata.Dockerfile.Instructions;

/// <summary><c>STOPSIGNAL signal</c> (a name like SIGTERM or a number).</summary>
public sealed record StopSignalInstruction(string Signal) : Instruction
{
    [JsonIgnore]
    public override string Keyword => "STOPSIGNAL";
}
