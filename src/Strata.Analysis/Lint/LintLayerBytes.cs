using System.Text.Json.Serialization;

namespace Strata.Analysis.Lint;

/// <summary>Bytes stored in one layer of a measured image; <see cref="Source"/> is <c>Dockerfile:LINE</c> when the build recorded it.</summary>
public sealed record LintLayerBytes(
    [property: JsonPropertyName("layer")] int Layer,
    [property: JsonPropertyName("source")] string? Source,
    [property: JsonPropertyName("bytes")] long Bytes);
