using System.Text.Json.Serialization;

namespace Strata.Analysis.Sarif;

/// <summary>A 1-based line and column in a text file.</summary>
public sealed record SarifRegion(
    [property: JsonPropertyName("startLine")] int StartLine,
    [property: JsonPropertyName("startColumn")] int StartColumn);
