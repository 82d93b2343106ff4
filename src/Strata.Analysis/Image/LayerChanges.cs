namespace Strata.Analysis.Image;

/// <summary>
/// The changes of one layer the report keeps: the biggest <see cref="ImageAnalysisOptions.KeepChanges"/>
/// of its <see cref="Total"/> (added + modified + removed non-directory paths), sorted by path.
/// </summary>
public sealed record LayerChanges(int Layer, int Total, IReadOnlyList<LayerChange> Kept)
{
    /// <summary>True when some changes were left out by the cap.</summary>
    public bool Capped => Kept.Count < Total;
}
