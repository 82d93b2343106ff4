using System.Text.Json.Serialization;
using Strata.Core;

namespace Strata.Containers;

/// <summary>Source-generated JSON for <see cref="ContainerState"/>.</summary>
[JsonSourceGenerationOptions(WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, Converters = [typeof(DigestJsonConverter)])]
[JsonSerializable(typeof(ContainerState))]
internal sealed partial class ContainerJsonContext : JsonSerializerContext;
