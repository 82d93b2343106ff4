using System.Text.Json.Serialization;

namespace Strata.Analysis.Sarif;

/// <summary>One run of one tool: the rules it knows and the results it found.</summary>
public sealed record SarifRun(
    [property: JsonPropertyName("tool")] SarifTool Tool,
    [property: JsonPropertyName("results")] IReadOnlyList<SarifResult> Results);
