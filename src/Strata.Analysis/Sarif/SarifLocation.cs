using System.Text.Json.Serialization;

namespace Strata.Analysis.Sarif;

/// <summary>
/// Where a result is: a file region, and/or logical places (for an image: a layer, a path in it)
/// when no source file holds the cause.
/// </summary>
public sealed record SarifLocation(
    [property: JsonPropertyName("physicalLocation")]
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    SarifPhysicalLocation? PhysicalLocation)
{
    /// <summary>Identifies a related location within its result (relatedLocations need one).</summary>
    [JsonPropertyName("id")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Id { get; init; }

    [JsonPropertyName("message")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public SarifMessage? Message { get; init; }

    [JsonPropertyName("logicalLocations")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<SarifLogicalLocation>? LogicalLocations { get; init; }
}
