using System.Text.Json.Serialization;

namespace Strata.Analysis.Lint;

/// <summary>
/// What an image built from the Dockerfile says about one finding, in bytes (<c>strata lint --image</c>),
/// joined to the finding by the Dockerfile line the build recorded for each layer.
/// </summary>
/// <param name="Image">The image measured, as the user named it.</param>
/// <param name="Layer">The layer the finding's instruction made (0 = bottom).</param>
/// <param name="LayerBytes">Regular-file bytes that layer holds.</param>
/// <param name="Bytes">What the finding is about: for a cleanup RUN (STR002) the bytes of earlier layers it deleted; for a secret (STR008) the secret's bytes.</param>
/// <param name="SavedBytes">For a cleanup RUN: what it took out of the image, its deleted bytes less those still stored in earlier layers.</param>
/// <param name="Stays">Where the bytes still ship: each layer with its Dockerfile line and bytes.</param>
/// <param name="RemovedByLayer">For a secret: the layer that deleted it, when one did.</param>
/// <param name="Summary">The same in words, as text output appends it to the finding.</param>
public sealed record LintMeasurement(
    [property: JsonPropertyName("image")] string Image,
    [property: JsonPropertyName("layer")] int Layer,
    [property: JsonPropertyName("layerBytes")] long LayerBytes,
    [property: JsonPropertyName("bytes")] long Bytes,
    [property: JsonPropertyName("savedBytes"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? SavedBytes,
    [property: JsonPropertyName("stays")] IReadOnlyList<LintLayerBytes> Stays,
    [property: JsonPropertyName("removedByLayer"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? RemovedByLayer,
    [property: JsonPropertyName("summary")] string Summary);
