namespace Strata.Dockerfile.Instructions;

/// <summary>What a flag takes: a value once, a boolean (bare means true), or a value that may repeat.</summary>
internal enum FlagKind
{
    String,
    Bool,
    List,
}
