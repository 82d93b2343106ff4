using Strata.Core;

namespace Strata.Images.Transfer;

/// <summary>
/// Where images come from (go-containerregistry's <c>layout</c>, <c>tarball</c> and
/// <c>remote</c> readers are the model): the store, an OCI layout directory or archive, a docker
/// archive, a root filesystem; a registry later. A source is read-only and speaks descriptors:
/// it lists the images it offers, serves small documents whole and blobs as streams, and every
/// byte it hands out is checked against the descriptor that asked for it.
/// <para>
/// Contract: <see cref="ReadDocumentAsync"/> returns exactly the bytes the descriptor names
/// (size and digest checked) or throws naming the blob; <see cref="OpenBlobAsync"/> returns a
/// forward-only stream that throws <see cref="DigestMismatchException"/> naming the blob when
/// its end is reached and its bytes were not the descriptor's. A consumer that stops early gets
/// no verification, so sinks always read blobs to their end. Missing blobs are
/// <see cref="NotFoundException"/>.
/// </para>
/// </summary>
public interface IImageSource : IAsyncDisposable
{
    /// <summary>What errors name first (the archive, the layout path, the flag).</summary>
    string Name { get; }

    /// <summary>
    /// The images this source offers, each a root descriptor (a manifest or an index) with the
    /// names the source gives it, in the source's order.
    /// </summary>
    Task<IReadOnlyList<SourceImage>> ListAsync(CancellationToken cancellationToken);

    /// <summary>A manifest, index or config, verified; bounded by the store's document size limit.</summary>
    Task<byte[]> ReadDocumentAsync(Descriptor descriptor, CancellationToken cancellationToken);

    /// <summary>A blob (usually a layer) as a forward-only stream that verifies itself at its end.</summary>
    Task<Stream> OpenBlobAsync(Descriptor descriptor, CancellationToken cancellationToken);
}
