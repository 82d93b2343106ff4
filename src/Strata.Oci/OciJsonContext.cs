using System.Text.Json.Serialization;

namespace Strata.Oci;

/// <summary>
/// Source-generated (AOT-safe) serializers for every spec document. Compact output, nulls
/// omitted, missing required members and nulls in non-nullable members rejected on read.
/// </summary>
[JsonSourceGenerationOptions(
    WriteIndented = false,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    RespectRequiredConstructorParameters = true,
    RespectNullableAnnotations = true,
    Converters = [typeof(Rfc3339JsonConverter)])]
[JsonSerializable(typeof(ImageManifest))]
[JsonSerializable(typeof(ImageIndex))]
[JsonSerializable(typeof(ImageConfig))]
[JsonSerializable(typeof(OciLayoutHeader))]
[JsonSerializable(typeof(Core.Descriptor))]
[JsonSerializable(typeof(IReadOnlyList<DockerArchiveManifestEntry>))]
[JsonSerializable(typeof(IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>))]
internal sealed partial class OciJsonContext : JsonSerializerContext;
