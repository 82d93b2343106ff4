using Strata.Core;

namespace Strata.Archive;

/// <summary>What a written layer is: both digests, both sizes and its OCI media type.</summary>
/// <param name="DiffId">sha256 of the uncompressed tar.</param>
/// <param name="Digest">sha256 of the bytes written to the destination.</param>
/// <param name="Size">Bytes written to the destination (compressed size).</param>
/// <param name="UncompressedSize">Length of the tar stream.</param>
/// <param name="MediaType"><see cref="MediaTypes.OciLayer"/>, <see cref="MediaTypes.OciLayerGzip"/> or <see cref="MediaTypes.OciLayerZstd"/>.</param>
public sealed record LayerWriteResult(DiffId DiffId, Digest Digest, long Size, long UncompressedSize, string MediaType)
{
    /// <summary>docker's SIZE of the layer, counted while writing it: bytes of regular files plus
    /// symlink target lengths, each hard-linked inode once; directories and whiteouts nothing.</summary>
    public long ContentSize { get; init; }
}
