using Strata.Core;

namespace Strata.Analysis.Image;

/// <summary>Options of <see cref="ImageAnalyzer"/>.</summary>
public sealed record ImageAnalysisOptions
{
    public static ImageAnalysisOptions Default { get; } = new();

    /// <summary>The platform picked from an index. Default: the host's.</summary>
    public Platform Platform { get; init; } = Platform.Host;

    /// <summary>A file at least this big changed in a later layer is a big-file copy-up finding. Default 1 MiB.</summary>
    public long BigFileBytes { get; init; } = 1 << 20;

    /// <summary>How much of each file is searched for secrets (the rest is hashed, not searched). Default 1 MiB.</summary>
    public int SecretScanBytes { get; init; } = 1 << 20;

    /// <summary>
    /// Base layers to assume when the manifest does not say (an image Strata did not build):
    /// the caller may know them, e.g. the longest layer prefix shared with another image in the
    /// store. Default null: none.
    /// </summary>
    public int? BaseLayers { get; init; }

    /// <summary>
    /// How many changed paths (added, modified, removed) to keep per layer for a report that
    /// shows file trees (<see cref="ImageAnalysis.Changes"/>), the biggest first. Default 0: none,
    /// so the plain analysis holds no path strings beyond its findings.
    /// </summary>
    public int KeepChanges { get; init; }

    /// <summary>Where <see cref="BaseLayers"/> came from, for the report. Default "store".</summary>
    public string BaseLayersFrom { get; init; } = "store";

    /// <summary>Hears each path the walk adds, modifies or removes (an interactive view builds its trees from it). Default null: nothing is kept per path.</summary>
    public ILayerChangeObserver? Changes { get; init; }
}
