using Strata.Archive;
using Strata.Core;
using Strata.Oci;

namespace Strata.Images.Import;

/// <summary>What <c>strata import</c> makes of a root filesystem.</summary>
public sealed record ImportOptions
{
    /// <summary>Name to give the image; none leaves it untagged.</summary>
    public ImageReference? Tag { get; init; }

    /// <summary>Container config from <c>--change</c> instructions; null for none.</summary>
    public ContainerConfig? Config { get; init; }

    /// <summary>History comment; docker's default is "Imported from SOURCE".</summary>
    public string? Message { get; init; }

    /// <summary>Fixed creation time and mtime clamp (SOURCE_DATE_EPOCH); null uses the clock.</summary>
    public DateTimeOffset? SourceDateEpoch { get; init; }

    public LayerCompression Compression { get; init; } = LayerCompression.Gzip;

    public Platform Platform { get; init; } = Platform.Host;

    /// <summary>
    /// Most uncompressed bytes a tar source may expand to; a bigger one (a gzip bomb) fails naming
    /// the source. Default 512 GiB, <see cref="LayerApplyOptions.MaxUncompressedBytes"/>'s; the CLI
    /// sets it from <c>--max-layer-size</c> or <c>STRATA_MAX_LAYER_SIZE</c>.
    /// </summary>
    public long MaxUncompressedBytes { get; init; } = new LayerApplyOptions().MaxUncompressedBytes;
}
