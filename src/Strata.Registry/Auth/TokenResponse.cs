using System.Text.Json.Serialization;

namespace Strata.Registry.Auth;

/// <summary>A token server's answer (docker's <c>token</c> or OAuth2's <c>access_token</c>).</summary>
internal sealed record TokenResponse(
    [property: JsonPropertyName("token")] string? Token,
    [property: JsonPropertyName("access_token")] string? AccessToken,
    [property: JsonPropertyName("expires_in")] int? ExpiresIn,
    [property: JsonPropertyName("refresh_token")] string? RefreshToken);
