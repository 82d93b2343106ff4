using System.Text.Json.Serialization;

namespace Strata.Core;

/// <summary>
/// An OCI content descriptor: what a blob is (<see cref="MediaType"/>), its <see cref="Digest"/>
/// and its exact <see cref="Size"/> in bytes. Readers verify both before using the content.
/// </summary>
public sealed record Descriptor
{
    public Descriptor(string mediaType, Digest digest, long size)
    {
        MediaType = mediaType;
        Digest = digest;
        Size = size;
    }

    [JsonPropertyName("mediaType")]
    public string MediaType { get; init; }

    [JsonPropertyName("digest")]
    public Digest Digest { get; init; }

    [JsonPropertyName("size")]
    public long Size { get; init; }

    [JsonPropertyName("urls")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Urls { get; init; }

    [JsonPropertyName("annotations")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, string>? Annotations { get; init; }

    /// <summary>Embedded content (base64 in JSON); when present it must match digest and size.</summary>
    [JsonPropertyName("data")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Data { get; init; }

    [JsonPropertyName("platform")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Platform? Platform { get; init; }

    [JsonPropertyName("artifactType")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ArtifactType { get; init; }

    /// <summary>The value of annotation <paramref name="key"/>, or null.</summary>
    public string? Annotation(string key) => Annotations is not null && Annotations.TryGetValue(key, out var v) ? v : null;
}
