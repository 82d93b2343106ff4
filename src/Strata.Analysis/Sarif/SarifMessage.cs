using System.Text.Json.Serialization;

namespace Strata.Analysis.Sarif;

/// <summary>A SARIF message or multiformat string: plain text, optionally with Markdown.</summary>
public sealed record SarifMessage([property: JsonPropertyName("text")] string Text)
{
    [JsonPropertyName("markdown")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Markdown { get; init; }
}
