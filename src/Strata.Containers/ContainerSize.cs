namespace Strata.Containers;

/// <summary>
/// docker's two container sizes: <paramref name="Writable"/> (SizeRw) the bytes in the writable
/// layer, <paramref name="Virtual"/> (SizeRootFs) those plus the image's.
/// </summary>
public sealed record ContainerSize(long Writable, long Virtual);
