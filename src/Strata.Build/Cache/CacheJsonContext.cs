using System.Text.Json.Serialization;

namespace Strata.Build.Cache;

/// <summary>Source-generated JSON for the previous build's inputs (instruction definitions: <see cref="InstructionDefinition"/>).</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(StepInputs))]
[JsonSerializable(typeof(List<SourceFile>))]
internal sealed partial class CacheJsonContext : JsonSerializerContext;
