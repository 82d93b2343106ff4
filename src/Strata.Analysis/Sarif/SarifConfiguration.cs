using System.Text.Json.Serialization;

namespace Strata.Analysis.Sarif;

/// <summary>A rule's default configuration: its level (<c>error</c>, <c>warning</c>, <c>note</c>, <c>none</c>).</summary>
public sealed record SarifConfiguration([property: JsonPropertyName("level")] string Level);
