using System.Text.Json.Serialization;
using Strata.Core;

namespace Strata.Oci;

/// <summary>The config's <c>rootfs</c>: the diffIDs of the layers, bottom first.</summary>
public sealed record RootFs
{
    public const string LayersType = "layers";

    public RootFs(IReadOnlyList<DiffId> diffIds)
    {
        DiffIds = diffIds;
    }

    /// <summary>Always <c>layers</c>.</summary>
    [JsonPropertyName("type")]
    [JsonPropertyOrder(0)]
    public string Type { get; init; } = LayersType;

    [JsonPropertyName("diff_ids")]
    [JsonPropertyOrder(1)]
    public IReadOnlyList<DiffId> DiffIds { get; init; }
}
