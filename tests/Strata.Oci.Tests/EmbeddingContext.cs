using System.Text.Json.Serialization;

namespace Strata.Oci.Tests;

/// <summary>A context like another room would declare to embed our records in its own documents.</summary>
[JsonSerializable(typeof(ImageConfig))]
internal sealed partial class EmbeddingContext : JsonSerializerContext;
