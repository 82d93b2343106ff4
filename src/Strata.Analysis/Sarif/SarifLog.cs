using System.Text.Json.Serialization;

namespace Strata.Analysis.Sarif;

/// <summary>
/// A SARIF 2.1.0 log (OASIS): the subset code-scanning UIs read. Only what Strata fills is
/// modelled; every name is the spec's property name.
/// </summary>
public sealed record SarifLog(
    [property: JsonPropertyName("runs")] IReadOnlyList<SarifRun> Runs)
{
    [JsonPropertyName("$schema")]
    public string Schema { get; init; } = "https://json.schemastore.org/sarif-2.1.0.json";

    [JsonPropertyName("version")]
    public string Version { get; init; } = "2.1.0";
}
