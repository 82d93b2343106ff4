using System.Text.Json.Serialization;

namespace Strata.Registry.Transport;

/// <summary>Source-generated JSON for the registry's own documents (AOT: no reflection).</summary>
[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = false)]
[JsonSerializable(typeof(RegistryErrorBody))]
[JsonSerializable(typeof(Auth.TokenResponse))]
internal sealed partial class RegistryJsonContext : JsonSerializerContext;
