using System.Text.Json.Serialization;

namespace Strata.Cli.Metadata;

/// <summary>Source-generated JSON for <c>--metadata-file</c> (AOT: no reflection).</summary>
[JsonSourceGenerationOptions(WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(BuildMetadata))]
internal sealed partial class BuildMetadataJsonContext : JsonSerializerContext;
