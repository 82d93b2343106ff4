namespace Strata.Dockerfile.Instructions;

/// <summary><c>ENTRYPOINT</c>; an empty exec form (<c>ENTRYPOINT []</c>) clears it.</summary>
public sealed record EntrypointInstruction(CommandLine Command) : Instruction
{
    public override string Keyword => "ENTRYPOINT";
}
