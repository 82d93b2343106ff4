using System.Text.Json.Serialization;

namespace Strata.Dockerfile.Graph;

/// <summary>Why one stage needs another: it is built FROM it, COPYs --from it, or mounts from it in RUN.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<StageEdgeKind>))]
public enum StageEdgeKind
{
    [JsonStringEnumMemberName("base")]
    Base,
    [JsonStringEnumMemberName("copy")]
    Copy,
    [JsonStringEnumMemberName("mount")]
    Mount,
}
