using System.Text.Json.Serialization;

namespace Strata.Dockerfile.Reports;

/// <summary>Source-generated JSON for reports (Native AOT: no reflection).</summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(DockerfileReport))]
internal sealed partial class DockerfileJsonContext : JsonSerializerContext;
