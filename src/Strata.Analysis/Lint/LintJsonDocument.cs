using System.Text.Json.Serialization;

namespace Strata.Analysis.Lint;

/// <summary>
/// <c>strata lint --format json</c>, schema version 1: the file, each finding with its rule's fix,
/// hadolint twin and help page, and the counts per severity. Fields are only ever added.
/// </summary>
public sealed record LintJsonDocument(
    [property: JsonPropertyName("schemaVersion")] int SchemaVersion,
    [property: JsonPropertyName("file")] string File,
    [property: JsonPropertyName("findings")] IReadOnlyList<LintJsonFinding> Findings,
    [property: JsonPropertyName("errors")] int Errors,
    [property: JsonPropertyName("warnings")] int Warnings,
    [property: JsonPropertyName("infos")] int Infos);
