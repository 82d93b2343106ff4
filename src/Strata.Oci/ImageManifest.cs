using System.Text.Json.Serialization;
using Strata.Core;

namespace Strata.Oci;

/// <summary>
/// An image manifest: one config and an ordered list of layers (bottom first). Reads both the
/// OCI media type and Docker schema2 (<see cref="MediaTypes.DockerManifest"/>), which share
/// this shape. Property order follows the image-spec examples so serialized bytes are stable.
/// </summary>
public sealed record ImageManifest
{
    public ImageManifest(Descriptor config, IReadOnlyList<Descriptor> layers)
    {
        Config = config;
        Layers = layers;
    }

    /// <summary>Always 2 for the manifests Strata reads and writes.</summary>
    [JsonPropertyName("schemaVersion")]
    [JsonPropertyOrder(0)]
    public int SchemaVersion { get; init; } = 2;

    [JsonPropertyName("mediaType")]
    [JsonPropertyOrder(1)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? MediaType { get; init; }

    [JsonPropertyName("artifactType")]
    [JsonPropertyOrder(2)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ArtifactType { get; init; }

    [JsonPropertyName("config")]
    [JsonPropertyOrder(3)]
    public Descriptor Config { get; init; }

    [JsonPropertyName("layers")]
    [JsonPropertyOrder(4)]
    public IReadOnlyList<Descriptor> Layers { get; init; }

    [JsonPropertyName("subject")]
    [JsonPropertyOrder(5)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Descriptor? Subject { get; init; }

    [JsonPropertyName("annotations")]
    [JsonPropertyOrder(6)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, string>? Annotations { get; init; }
}
