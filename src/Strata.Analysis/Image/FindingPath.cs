namespace Strata.Analysis.Image;

/// <summary>One path a finding names, with the bytes it accounts for.</summary>
public sealed record FindingPath(string Path, long Bytes);
