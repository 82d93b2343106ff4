namespace Strata.Images.Views;

/// <summary>The store's part of <c>system df</c>: images with shared and unique sizes, containers, the blob store's bytes.</summary>
public sealed record StoreDiskUsage(
    IReadOnlyList<ImageUsage> Images,
    long ImagesTotalSize,
    long ImagesReclaimable,
    int ActiveImages,
    IReadOnlyList<ContainerUsage> Containers,
    long BlobBytesOnDisk);
