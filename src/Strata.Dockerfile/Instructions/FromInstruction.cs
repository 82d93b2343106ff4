namespace Strata.Dockerfile.Instructions;

/// <summary><c>FROM [--platform=P] BASE [AS NAME]</c>: starts a stage. <see cref="StageName"/> is lower-cased.</summary>
public sealed record FromInstruction(string BaseName, string? StageName, string? Platform) : Instruction
{
    public override string Keyword => "FROM";
}
