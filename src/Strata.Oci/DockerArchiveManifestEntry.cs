using System.Text.Json.Serialization;
using Strata.Core;

namespace Strata.Oci;

/// <summary>
/// One image in a <c>docker save</c> archive's <c>manifest.json</c> (the file is a JSON array
/// of these). Paths are relative to the archive root; <see cref="LayerSources"/> (keyed by the
/// layer's diffID string) only appears for foreign layers.
/// </summary>
public sealed record DockerArchiveManifestEntry
{
    public DockerArchiveManifestEntry(string config, IReadOnlyList<string> layers)
    {
        Config = config;
        Layers = layers;
    }

    /// <summary>Path of the config blob, e.g. <c>&lt;hex&gt;.json</c> or <c>blobs/sha256/&lt;hex&gt;</c>.</summary>
    [JsonPropertyName("Config")]
    public string Config { get; init; }

    /// <summary>Tags like <c>busybox:latest</c>; null or empty for untagged images.</summary>
    [JsonPropertyName("RepoTags")]
    public IReadOnlyList<string>? RepoTags { get; init; }

    /// <summary>Paths of the layer tars, bottom first.</summary>
    [JsonPropertyName("Layers")]
    public IReadOnlyList<string> Layers { get; init; }

    /// <summary>The parent image ID, which legacy docker wrote for locally built images.</summary>
    [JsonPropertyName("Parent")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Digest? Parent { get; init; }

    [JsonPropertyName("LayerSources")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, Descriptor>? LayerSources { get; init; }
}
