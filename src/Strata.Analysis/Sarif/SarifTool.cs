using System.Text.Json.Serialization;

namespace Strata.Analysis.Sarif;

/// <summary>The tool that produced a run; SARIF calls its main component the driver.</summary>
public sealed record SarifTool([property: JsonPropertyName("driver")] SarifDriver Driver);
