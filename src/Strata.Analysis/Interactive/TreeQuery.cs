namespace Strata.Analysis.Interactive;

/// <summary>Which file tree to show.</summary>
/// <param name="Layer">The selected layer (0 = bottom).</param>
/// <param name="LayerOnly">Only the selected layer's changes; else the image as of that layer, its changes marked.</param>
/// <param name="WastedOnly">Only files whose copy does not ship in the final image.</param>
/// <param name="Filter">Only paths containing this text (case-insensitive); empty: all.</param>
public sealed record TreeQuery(int Layer, bool LayerOnly = false, bool WastedOnly = false, string Filter = "");
