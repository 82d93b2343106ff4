using System.Text.Json.Serialization;

namespace Strata.Analysis.Lint;

/// <summary>One finding in <see cref="LintJsonDocument"/>; <see cref="Severity"/> is <c>error</c>, <c>warning</c> or <c>info</c>.</summary>
public sealed record LintJsonFinding(
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("severity")] string Severity,
    [property: JsonPropertyName("line")] int Line,
    [property: JsonPropertyName("column")] int Column,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("fix")] string Fix,
    [property: JsonPropertyName("hadolint")] string? Hadolint,
    [property: JsonPropertyName("helpUri")] string HelpUri)
{
    /// <summary>Bytes measured in an image of the Dockerfile (<c>lint --image</c>); absent without one.</summary>
    [JsonPropertyName("measured")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public LintMeasurement? Measured { get; init; }
}
