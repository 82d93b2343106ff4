using System.Text.Json.Serialization;
using Strata.Dockerfile.Instructions;

namespace Strata.Build.Cache;

/// <summary>Source-generated JSON for the previous build's inputs and instruction definitions.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(StepInputs))]
[JsonSerializable(typeof(List<SourceFile>))]
[JsonSerializable(typeof(Instruction))]
internal sealed partial class CacheJsonContext : JsonSerializerContext;
