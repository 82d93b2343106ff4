using System.Text.Json.Serialization;

namespace Strata.Analysis.Sarif;

/// <summary>
/// A rule (SARIF's reportingDescriptor): stable id, short and full descriptions, the help text a
/// code-scanning UI shows beside a result, where to read more, and its default level.
/// </summary>
public sealed record SarifRule(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("shortDescription")] SarifMessage ShortDescription,
    [property: JsonPropertyName("fullDescription")] SarifMessage FullDescription,
    [property: JsonPropertyName("help")] SarifMessage Help,
    [property: JsonPropertyName("defaultConfiguration")] SarifConfiguration DefaultConfiguration)
{
    [JsonPropertyName("helpUri")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? HelpUri { get; init; }

    /// <summary>Free-form properties; Strata puts tags (e.g. the hadolint twin) here.</summary>
    [JsonPropertyName("properties")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public SarifProperties? Properties { get; init; }
}
