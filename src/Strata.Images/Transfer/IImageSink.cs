using Strata.Core;

namespace Strata.Images.Transfer;

/// <summary>
/// Where images go: the store, an OCI layout directory, an image archive (OCI layout and docker
/// archive at once); a registry later. The order of calls is the order a registry push needs:
/// every layer of an image first, then the image's documents, an index after its children, then
/// <see cref="CommitAsync"/>.
/// <para>
/// Contract: a sink accepts only validated images (<see cref="ImageDocuments"/> cannot be made
/// otherwise), reads every blob it is given to its end so the source's verification runs, and
/// fails naming the blob when the bytes are not the descriptor's. Nothing a sink writes is
/// visible under its final name before <see cref="CommitAsync"/> returns (index.json last, an
/// archive renamed into place); disposing an uncommitted sink discards what it can.
/// A sink that already holds a blob may skip opening it (<c>open</c> is lazy for that reason).
/// </para>
/// </summary>
public interface IImageSink : IAsyncDisposable
{
    /// <summary>What errors name first.</summary>
    string Name { get; }

    /// <summary>
    /// Writes one layer of an image about to be written. <paramref name="diffId"/> is the
    /// config's diff ID for it (the store checks it; other sinks carry the blob as is).
    /// </summary>
    Task WriteLayerAsync(Descriptor layer, DiffId diffId, Func<CancellationToken, Task<Stream>> open, CancellationToken cancellationToken);

    /// <summary>Writes the image's config and manifest (its layers were written) under <paramref name="names"/> (may be empty).</summary>
    Task WriteImageAsync(ImageDocuments image, IReadOnlyList<ImageReference> names, CancellationToken cancellationToken);

    /// <summary>
    /// Writes an image index after the children it brings (each through
    /// <see cref="WriteImageAsync"/> with no names: a child is reached through its index, not
    /// named itself), under <paramref name="names"/> (may be empty). The index's bytes are kept
    /// as they are, so its digest is unchanged whichever children came; children not written are
    /// listed but absent, as containerd keeps a partially pulled index. The caller validated the
    /// bytes (<see cref="IndexDocument"/>); <paramref name="index"/> carries no annotations.
    /// </summary>
    Task WriteIndexAsync(Descriptor index, byte[] indexBytes, IReadOnlyList<ImageReference> names, CancellationToken cancellationToken);

    /// <summary>Makes everything written visible at once.</summary>
    Task CommitAsync(CancellationToken cancellationToken);
}
