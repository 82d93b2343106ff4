using System.Text.Json.Serialization;
using Strata.Core;

namespace Strata.Oci;

/// <summary>
/// An image index (a list of manifests, usually one per platform). Also reads the Docker
/// manifest list (<see cref="MediaTypes.DockerManifestList"/>) and an OCI layout's
/// <c>index.json</c>, which share this shape.
/// </summary>
public sealed record ImageIndex
{
    public ImageIndex(IReadOnlyList<Descriptor> manifests)
    {
        Manifests = manifests;
    }

    /// <summary>Always 2.</summary>
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

    [JsonPropertyName("manifests")]
    [JsonPropertyOrder(3)]
    public IReadOnlyList<Descriptor> Manifests { get; init; }

    [JsonPropertyName("subject")]
    [JsonPropertyOrder(4)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Descriptor? Subject { get; init; }

    [JsonPropertyName("annotations")]
    [JsonPropertyOrder(5)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, string>? Annotations { get; init; }
}
