using System.Text.Json.Serialization;

namespace Strata.Registry.Transport;

/// <summary>A distribution-spec error body.</summary>
internal sealed record RegistryErrorBody([property: JsonPropertyName("errors")] IReadOnlyList<RegistryError>? Errors);
