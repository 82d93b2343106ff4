namespace Strata.Analysis.Image;

/// <summary>What a layer did to a path of the merged view, as <c>docker diff</c> says it: A, C (here Modified), D.</summary>
public enum LayerChangeKind
{
    Added,
    Modified,
    Removed,
}
