namespace Strata.Analysis.Image;

/// <summary>What the walk learns from the merged view as layers are applied.</summary>
internal interface IPathTreeObserver
{
    /// <summary><paramref name="old"/> no longer ships: layer <paramref name="layer"/> overwrote it (<paramref name="replacement"/> set) or deleted it.</summary>
    void Ended(PathNode node, in FileCopy old, int layer, CopyEnd how, in FileCopy? replacement);
}
