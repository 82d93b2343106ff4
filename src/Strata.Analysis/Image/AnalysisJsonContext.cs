using System.Text.Json.Serialization;

namespace Strata.Analysis.Image;

/// <summary>The <c>--json</c> document (camelCase, indented), through source generation only (Native AOT).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(ImageAnalysis))]
public sealed partial class AnalysisJsonContext : JsonSerializerContext;
