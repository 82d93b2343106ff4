using System.Text.Json.Serialization;

namespace Strata.Analysis.Sarif;

/// <summary>Source-generated (AOT-safe) serialization of <see cref="SarifLog"/>.</summary>
[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(SarifLog))]
internal sealed partial class SarifJsonContext : JsonSerializerContext;
