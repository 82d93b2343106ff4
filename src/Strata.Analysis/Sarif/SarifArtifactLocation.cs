using System.Text.Json.Serialization;

namespace Strata.Analysis.Sarif;

/// <summary>A file, as a URI reference (a relative path is fine: code-scanning resolves it against the checkout).</summary>
public sealed record SarifArtifactLocation([property: JsonPropertyName("uri")] string Uri);
