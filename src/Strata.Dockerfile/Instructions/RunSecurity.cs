using System.Text.Json.Serialization;

namespace Strata.Dockerfile.Instructions;

/// <summary><c>RUN --security=</c>: sandbox (default) or insecure (needs an entitlement).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RunSecurity>))]
public enum RunSecurity
{
    [JsonStringEnumMemberName("sandbox")]
    Sandbox,
    [JsonStringEnumMemberName("insecure")]
    Insecure,
}
