namespace Strata.Dockerfile;

/// <summary>A 1-based line and column in the Dockerfile text.</summary>
public readonly record struct SourcePosition(int Line, int Column)
{
    public override string ToString() => $"{Line}:{Column}";
}
