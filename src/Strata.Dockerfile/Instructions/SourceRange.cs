namespace Strata.Dockerfile.Instructions;

/// <summary>Where an instruction is: its first line and column and its last line (continuations and heredocs included).</summary>
public readonly record struct SourceRange(int StartLine, int StartColumn, int EndLine)
{
    [System.Text.Json.Serialization.JsonIgnore]
    public SourcePosition Start => new(StartLine, StartColumn);
}
