namespace Strata.Images.Indexes;

/// <summary>How <see cref="IndexAssembler"/> treats a name that already stands for an index.</summary>
public sealed record IndexCreateOptions
{
    /// <summary>
    /// Add to the index the name holds (docker's <c>manifest create --amend</c>): its children
    /// stay, except one whose platform a new image has, which the new image replaces. Default
    /// false: a name that is an index already is refused.
    /// </summary>
    public bool Amend { get; init; }
}
