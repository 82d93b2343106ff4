using System.Text.Json.Serialization;

namespace Strata.Build.Logs;

/// <summary>Source-generated JSON for <c>build.json</c> (AOT: no reflection).</summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(BuildLogRecord))]
internal sealed partial class BuildLogJsonContext : JsonSerializerContext;
