using System.Text.Json.Serialization;

namespace Strata.Analysis.Sarif;

/// <summary>
/// A place that is not a file region: SARIF's logicalLocation, with a short name, the full name
/// that identifies it, and its kind (the spec's words where one fits: <c>module</c>, <c>resource</c>, <c>object</c>).
/// </summary>
public sealed record SarifLogicalLocation(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("fullyQualifiedName")] string FullyQualifiedName,
    [property: JsonPropertyName("kind")] string Kind);
