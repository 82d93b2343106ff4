using System.Text.Json.Serialization;

namespace Strata.Analysis.Lint;

/// <summary>Source-generated (AOT-safe) serialization of <see cref="LintJsonDocument"/>.</summary>
[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(LintJsonDocument))]
[JsonSerializable(typeof(LintMeasurement))]
internal sealed partial class LintJsonContext : JsonSerializerContext;
