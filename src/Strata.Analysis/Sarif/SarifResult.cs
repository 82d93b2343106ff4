using System.Text.Json.Serialization;

namespace Strata.Analysis.Sarif;

/// <summary>One finding: its rule (by id and index into the driver's rules), level, message and where.</summary>
public sealed record SarifResult(
    [property: JsonPropertyName("ruleId")] string RuleId,
    [property: JsonPropertyName("ruleIndex")] int RuleIndex,
    [property: JsonPropertyName("level")] string Level,
    [property: JsonPropertyName("message")] SarifMessage Message,
    [property: JsonPropertyName("locations")] IReadOnlyList<SarifLocation> Locations);
