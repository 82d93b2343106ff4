using System.Text.Json.Serialization;

namespace Strata.Analysis.Sarif;

/// <summary>Where a result is.</summary>
public sealed record SarifLocation([property: JsonPropertyName("physicalLocation")] SarifPhysicalLocation PhysicalLocation);
