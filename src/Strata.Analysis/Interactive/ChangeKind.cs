namespace Strata.Analysis.Interactive;

/// <summary>What a layer did to a path (the marks of the file tree: <c>+</c>, <c>~</c>, <c>-</c>).</summary>
public enum ChangeKind
{
    /// <summary>The layer did not touch the path.</summary>
    None,

    /// <summary>No lower layer had the path.</summary>
    Added,

    /// <summary>The layer replaced a lower layer's copy.</summary>
    Modified,

    /// <summary>The layer deleted the path (whiteout, opaque directory, replaced directory).</summary>
    Removed,
}
