using System.Text.Json.Serialization;

namespace Strata.Registry.Transport;

/// <summary>One entry of a distribution-spec error body (<c>{"errors":[{"code":...,"message":...}]}</c>).</summary>
internal sealed record RegistryError(
    [property: JsonPropertyName("code")] string? Code,
    [property: JsonPropertyName("message")] string? Message);
