namespace Strata.Analysis.Image;

/// <summary>What one layer did to the merged view (non-directory paths) and the bytes it holds.</summary>
internal sealed class LayerCounts
{
    public int Added { get; set; }

    public int Modified { get; set; }

    public int Removed { get; set; }

    public long Size { get; set; }

    public long Wasted { get; set; }
}
