using System.Text.Json.Serialization;

namespace Strata.Execution.Spec;

/// <summary>Source-generated (AOT-safe) writer for <c>config.json</c>: camelCase as the runtime-spec spells it, nulls omitted.</summary>
[JsonSourceGenerationOptions(
    WriteIndented = true,
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(OciSpec))]
internal sealed partial class OciSpecJsonContext : JsonSerializerContext;
