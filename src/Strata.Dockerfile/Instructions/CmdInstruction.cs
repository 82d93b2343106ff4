namespace Strata.Dockerfile.Instructions;

/// <summary><c>CMD</c>: the default command (or arguments to ENTRYPOINT).</summary>
public sealed record CmdInstruction(CommandLine Command) : Instruction
{
    public override string Keyword => "CMD";
}
