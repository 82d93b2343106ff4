using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Strata.Analysis.Sarif;

/// <summary>One finding: its rule (by id and index into the driver's rules), level, message and where.</summary>
public sealed record SarifResult(
    [property: JsonPropertyName("ruleId")] string RuleId,
    [property: JsonPropertyName("ruleIndex")] int RuleIndex,
    [property: JsonPropertyName("level")] string Level,
    [property: JsonPropertyName("message")] SarifMessage Message,
    [property: JsonPropertyName("locations")] IReadOnlyList<SarifLocation> Locations)
{
    /// <summary>Other places that take part (e.g. the step that deleted what the located step added).</summary>
    [JsonPropertyName("relatedLocations")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<SarifLocation>? RelatedLocations { get; init; }

    /// <summary>Stable identities of the result, so code-scanning matches it across runs.</summary>
    [JsonPropertyName("partialFingerprints")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, string>? PartialFingerprints { get; init; }

    /// <summary>The property bag: whatever the report knows beyond SARIF's own fields.</summary>
    [JsonPropertyName("properties")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonObject? Properties { get; init; }
}
