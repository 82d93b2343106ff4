using Strata.Archive;
using Strata.Core;
using Strata.Oci;

namespace Strata.Containers;

/// <summary>What <c>strata commit</c> records besides the writable layer.</summary>
public sealed record ContainerCommitOptions
{
    /// <summary>The history comment (<c>-m</c>).</summary>
    public string? Message { get; init; }
    /// <summary>The image author (<c>-a</c>).</summary>
    public string? Author { get; init; }
    /// <summary>The new runtime config (after <c>--change</c>); null keeps the image's.</summary>
    public ContainerConfig? Config { get; init; }
    public IReadOnlyList<ImageReference> Tags { get; init; } = [];
    /// <summary>How the layer is written; default uncompressed (an export compresses it once).</summary>
    public LayerWriteOptions Layer { get; init; } = LayerWriteOptions.Default with { Compression = LayerCompression.None };
}
