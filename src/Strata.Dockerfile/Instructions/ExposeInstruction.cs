namespace Strata.Dockerfile.Instructions;

/// <summary><c>EXPOSE port[/proto]...</c>.</summary>
public sealed record ExposeInstruction(IReadOnlyList<string> Ports) : Instruction
{
    public override string Keyword => "EXPOSE";
}
