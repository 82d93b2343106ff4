using System.Text.Json.Serialization;
using Strata.Core;

namespace Strata.Oci;

/// <summary>
/// The image config blob (<c>application/vnd.oci.image.config.v1+json</c>, or Docker's
/// <c>container.image.v1+json</c>): platform, runtime defaults, the layer diffIDs and history.
/// Docker-only fields Strata does not model (<c>container_config</c>, <c>docker_version</c>)
/// are dropped on read, so re-serializing a foreign config changes its digest: keep the
/// original bytes when the digest matters.
/// </summary>
public sealed record ImageConfig
{
    public ImageConfig(string architecture, string os, RootFs rootFs)
    {
        Architecture = architecture;
        Os = os;
        RootFs = rootFs;
    }

    [JsonPropertyName("created")]
    [JsonConverter(typeof(Rfc3339JsonConverter))]
    [JsonPropertyOrder(0)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? Created { get; init; }

    [JsonPropertyName("author")]
    [JsonPropertyOrder(1)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Author { get; init; }

    [JsonPropertyName("architecture")]
    [JsonPropertyOrder(2)]
    public string Architecture { get; init; }

    [JsonPropertyName("os")]
    [JsonPropertyOrder(3)]
    public string Os { get; init; }

    [JsonPropertyName("os.version")]
    [JsonPropertyOrder(4)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? OsVersion { get; init; }

    [JsonPropertyName("os.features")]
    [JsonPropertyOrder(5)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? OsFeatures { get; init; }

    [JsonPropertyName("variant")]
    [JsonPropertyOrder(6)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Variant { get; init; }

    [JsonPropertyName("config")]
    [JsonPropertyOrder(7)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ContainerConfig? Config { get; init; }

    [JsonPropertyName("rootfs")]
    [JsonPropertyOrder(8)]
    public RootFs RootFs { get; init; }

    /// <summary>The platform this config declares (os, architecture, variant, os.version, os.features).</summary>
    [JsonIgnore]
    public Platform Platform => new(Os, Architecture, Variant) { OsVersion = OsVersion, OsFeatures = OsFeatures };

    [JsonPropertyName("history")]
    [JsonPropertyOrder(9)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<HistoryEntry>? History { get; init; }
}
