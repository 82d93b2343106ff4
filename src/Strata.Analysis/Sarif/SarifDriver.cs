using System.Text.Json.Serialization;

namespace Strata.Analysis.Sarif;

/// <summary>The tool component: its name, version, home page and every rule a result may refer to.</summary>
public sealed record SarifDriver(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("rules")] IReadOnlyList<SarifRule> Rules)
{
    [JsonPropertyName("version")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Version { get; init; }

    [JsonPropertyName("informationUri")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? InformationUri { get; init; }
}
