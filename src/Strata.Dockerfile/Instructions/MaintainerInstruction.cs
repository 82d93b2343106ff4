namespace Strata.Dockerfile.Instructions;

/// <summary>Deprecated <c>MAINTAINER name</c> (sets the config's Author).</summary>
public sealed record MaintainerInstruction(string Maintainer) : Instruction
{
    public override string Keyword => "MAINTAINER";
}
