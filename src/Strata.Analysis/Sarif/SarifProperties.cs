using System.Text.Json.Serialization;

namespace Strata.Analysis.Sarif;

/// <summary>A SARIF property bag with its conventional <c>tags</c>.</summary>
public sealed record SarifProperties([property: JsonPropertyName("tags")] IReadOnlyList<string> Tags);
