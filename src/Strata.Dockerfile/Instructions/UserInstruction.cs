namespace Strata.Dockerfile.Instructions;

/// <summary><c>USER user[:group]</c>.</summary>
public sealed record UserInstruction(string User) : Instruction
{
    public override string Keyword => "USER";
}
