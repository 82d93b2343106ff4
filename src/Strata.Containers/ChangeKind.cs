namespace Strata.Containers;

/// <summary>The letters <c>docker diff</c> prints.</summary>
public enum ChangeKind
{
    /// <summary><c>C</c>: exists below and was changed (or holds a change).</summary>
    Modified,
    /// <summary><c>A</c>: new in the writable layer.</summary>
    Added,
    /// <summary><c>D</c>: hidden by a whiteout.</summary>
    Deleted,
}
