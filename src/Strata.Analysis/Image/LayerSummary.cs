namespace Strata.Analysis.Image;

/// <summary>One layer as analysis saw it.</summary>
/// <param name="Index">0 = bottom.</param>
/// <param name="Instruction">The history's <c>created_by</c>, shell prefix and <c># buildkit</c> trimmed.</param>
/// <param name="Source"><c>Dockerfile:LINE</c> when Strata built the image and recorded it.</param>
/// <param name="IsBase">True for the layers of the final stage's base image.</param>
/// <param name="Size">Bytes of regular-file content in the layer.</param>
/// <param name="WastedBytes">Bytes of this layer's files that do not ship (deleted or overwritten above).</param>
public sealed record LayerSummary(
    int Index,
    string Digest,
    string DiffId,
    string? Instruction,
    string? Source,
    bool IsBase,
    long Size,
    long BlobSize,
    int Added,
    int Modified,
    int Removed,
    long WastedBytes);
