using System.Text.Json.Serialization;

namespace Strata.Cli.Metadata;

/// <summary>An OCI descriptor as buildx writes it in the metadata file.</summary>
internal sealed record BuildMetadataDescriptor(
    [property: JsonPropertyName("mediaType")] string MediaType,
    [property: JsonPropertyName("digest")] string Digest,
    [property: JsonPropertyName("size")] long Size);
