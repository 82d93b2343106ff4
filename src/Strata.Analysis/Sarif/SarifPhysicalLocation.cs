using System.Text.Json.Serialization;

namespace Strata.Analysis.Sarif;

/// <summary>A file and a region in it.</summary>
public sealed record SarifPhysicalLocation(
    [property: JsonPropertyName("artifactLocation")] SarifArtifactLocation ArtifactLocation,
    [property: JsonPropertyName("region")] SarifRegion Region);
