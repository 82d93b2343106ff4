using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Strata.Cli.Metadata;

/// <summary>Source-generated JSON for <c>--metadata-file</c> (AOT: no reflection).</summary>
[JsonSourceGenerationOptions(WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(BuildMetadata))]
internal sealed partial class BuildMetadataJsonContext : JsonSerializerContext
{
    /// <summary>
    /// As buildx writes the file: media types keep their <c>+</c> (<c>manifest.v1+json</c>, not
    /// <c>\u002B</c>), so scripts that grep or compare it read ours the same way.
    /// </summary>
    public static BuildMetadataJsonContext Buildx { get; } = new(new JsonSerializerOptions
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
