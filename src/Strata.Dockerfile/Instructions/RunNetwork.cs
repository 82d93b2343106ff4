using System.Text.Json.Serialization;

namespace Strata.Dockerfile.Instructions;

/// <summary><c>RUN --network=</c>: default (the builder's), none, or host.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RunNetwork>))]
public enum RunNetwork
{
    [JsonStringEnumMemberName("default")]
    Default,
    [JsonStringEnumMemberName("none")]
    None,
    [JsonStringEnumMemberName("host")]
    Host,
}
