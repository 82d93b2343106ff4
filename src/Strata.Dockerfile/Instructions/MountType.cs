using System.Text.Json.Serialization;

namespace Strata.Dockerfile.Instructions;

/// <summary>The <c>type=</c> of a RUN <c>--mount</c>.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<MountType>))]
public enum MountType
{
    [JsonStringEnumMemberName("bind")]
    Bind,
    [JsonStringEnumMemberName("cache")]
    Cache,
    [JsonStringEnumMemberName("tmpfs")]
    Tmpfs,
    [JsonStringEnumMemberName("secret")]
    Secret,
    [JsonStringEnumMemberName("ssh")]
    Ssh,
}
