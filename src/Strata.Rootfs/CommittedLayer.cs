namespace Strata.Rootfs;

/// <summary>A layer a step produced and the snapshot that now holds its stack.</summary>
public sealed record CommittedLayer(Images.Metadata.LayerRecord Layer, string Snapshot);
