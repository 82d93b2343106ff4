using System.Text.Json.Serialization;

namespace Strata.Cli.Metadata;

/// <summary>What <c>--metadata-file</c> holds, with buildx's key names (scripts read them as they are).</summary>
internal sealed record BuildMetadata
{
    /// <summary>The image's manifest digest (a multi-platform build's: its index's digest).</summary>
    [JsonPropertyName("containerimage.digest")]
    public required string Digest { get; init; }

    /// <summary>The image's config digest (the image ID); absent for a multi-platform build's index, as in buildx.</summary>
    [JsonPropertyName("containerimage.config.digest")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ConfigDigest { get; init; }

    /// <summary>The manifest's descriptor.</summary>
    [JsonPropertyName("containerimage.descriptor")]
    public required BuildMetadataDescriptor Descriptor { get; init; }

    /// <summary>The tags, fully qualified and comma-separated; absent without -t, as in buildx.</summary>
    [JsonPropertyName("image.name")]
    public string? ImageName { get; init; }
}
