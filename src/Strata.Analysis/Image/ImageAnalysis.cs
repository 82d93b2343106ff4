using System.Text.Json.Serialization;

namespace Strata.Analysis.Image;

/// <summary>
/// The result of one analysis (the <c>--json</c> document; schema version <see cref="SchemaVersion"/>,
/// documented in the room's README).
/// </summary>
/// <param name="TotalBytes">Regular-file bytes over all layers (every copy).</param>
/// <param name="ShippedBytes">Bytes of the files the final root filesystem has.</param>
/// <param name="WastedBytes">Bytes of every other copy: <c>TotalBytes - ShippedBytes</c>.</param>
/// <param name="Efficiency"><c>ShippedBytes / TotalBytes</c> (1 for an empty image).</param>
/// <param name="UserWastedPercent"><c>UserWastedBytes / TotalBytes * 100</c>.</param>
public sealed record ImageAnalysis(
    int SchemaVersion,
    string Image,
    string Id,
    string ManifestDigest,
    int BaseLayers,
    string BaseLayersFrom,
    long TotalBytes,
    long ShippedBytes,
    long WastedBytes,
    long BaseWastedBytes,
    long UserWastedBytes,
    double Efficiency,
    double UserWastedPercent,
    IReadOnlyList<LayerSummary> Layers,
    IReadOnlyList<Finding> Findings)
{
    public const int CurrentSchemaVersion = 1;

    /// <summary>
    /// Per layer, the changed paths kept when <see cref="ImageAnalysisOptions.KeepChanges"/> asks
    /// for them (the HTML report's file trees); empty otherwise. Not part of the JSON document.
    /// </summary>
    [JsonIgnore]
    public IReadOnlyList<LayerChanges> Changes { get; init; } = [];
}
