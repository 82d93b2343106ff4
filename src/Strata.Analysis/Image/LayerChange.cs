namespace Strata.Analysis.Image;

/// <summary>One non-directory path a layer added, modified or removed; <paramref name="Size"/> is the removed copy's for a removal.</summary>
public sealed record LayerChange(string Path, LayerChangeKind Kind, long Size);
