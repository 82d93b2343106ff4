using System.Text.Json.Serialization;

namespace Strata.Dockerfile.Instructions;

/// <summary>The <c>type=</c> of a RUN <c>--mount</c>.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<MountType>))]
public enum MountType
{
    Bind,
    Cache,
    Tmpfs,
    Secret,
    Ssh,
}
