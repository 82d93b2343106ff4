using System.Globalization;
using Strata.Analysis.Image;

namespace Strata.Analysis.Lint;

/// <summary>
/// Adds measured bytes to lint findings from an image built from the same Dockerfile: each layer
/// is joined to its instruction by the Dockerfile line the build recorded (<c>dev.strata.build.lines</c>,
/// the analysis's layer <c>source</c>), and kept only when the layer's history is of the same kind
/// (RUN, COPY, ADD), so a Dockerfile edited since the build is not credited with another step's bytes.
/// Measured: a cleanup in its own RUN (STR002) gets what it deleted, what that saved and where the
/// bytes stay; a secret COPYed in (STR008) gets its layer, its bytes and the layer that deleted it.
/// </summary>
public static class ImageMeasurement
{
    /// <summary>The observer to pass to the analysis (<see cref="ImageAnalysisOptions.Changes"/>) of the image.</summary>
    public static MeasuredChanges Observer(LintReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return new MeasuredChanges(report.Findings.Where(f => f.ImagePath is not null).Select(f => f.ImagePath!));
    }

    /// <summary>True when the image recorded the Dockerfile line of at least one layer (a Strata build).</summary>
    public static bool HasLines(ImageAnalysis analysis)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        return analysis.Layers.Any(l => Line(l.Source) is not null);
    }

    /// <summary>The report with measurements on the findings the image can measure; the others as they were.</summary>
    public static LintReport Apply(LintReport report, ImageAnalysis analysis, MeasuredChanges changes, string image)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(analysis);
        ArgumentNullException.ThrowIfNull(changes);
        var layerOfLine = new Dictionary<int, LayerSummary>();
        foreach (var layer in analysis.Layers)
            if (Line(layer.Source) is { } line) layerOfLine.TryAdd(line, layer);
        LayerSummary? LayerOf(LintFinding f, params string[] kinds) =>
            layerOfLine.TryGetValue(f.InstructionLine, out var l) && kinds.Any(k => l.Instruction?.StartsWith(k + " ", StringComparison.Ordinal) == true) ? l : null;

        var findings = report.Findings.Select(f =>
        {
            LintMeasurement? m = f.Code switch
            {
                "STR002" when LayerOf(f, "RUN") is { } layer => Cleanup(layer, analysis, changes, image),
                "STR008" when f.ImagePath is { } path && LayerOf(f, "COPY", "ADD") is { } layer => Secret(layer, path, analysis, changes, image),
                _ => null,
            };
            return m is null ? f : f with { Measured = m };
        }).ToList();
        return report with { Findings = findings };
    }

    private static LintMeasurement Cleanup(LayerSummary layer, ImageAnalysis analysis, MeasuredChanges changes, string image)
    {
        var deleted = changes.DeletedBy(layer.Index).ToList();
        long bytes = deleted.Sum(d => d.Bytes);
        // A later layer cannot take bytes out of a lower one: a whiteout hides them, the lower
        // layer still stores them. Only copies the RUN's own layer held would be saved.
        var stays = deleted.Where(d => d.From < layer.Index).Select(d => new LintLayerBytes(d.From, analysis.Layers[d.From].Source, d.Bytes)).ToList();
        long saved = bytes - stays.Sum(s => s.Bytes);
        var where = stays.Count == 0 ? "" : "; " + string.Join(", ", stays.Select(s => $"{HumanBytes.Format(s.Bytes)} stay in layer {At(s.Layer, s.Source)}"));
        var summary = $"measured in {image}: this RUN's layer {At(layer.Index, layer.Source)} deleted {HumanBytes.Format(bytes)} and saved {HumanBytes.Format(saved)}{where}";
        return new LintMeasurement(image, layer.Index, layer.Size, bytes, saved, stays, null, summary);
    }

    private static LintMeasurement Secret(LayerSummary layer, string path, ImageAnalysis analysis, MeasuredChanges changes, string image)
    {
        long bytes = changes.WrittenBytes(layer.Index, path);
        int? removedBy = changes.RemovedBy(layer.Index, path);
        var removed = removedBy is { } r ? $", deleted by layer {At(r, analysis.Layers[r].Source)} but still" : "";
        var summary = $"measured in {image}: {path} is {HumanBytes.Format(bytes)}{removed} stored in layer {At(layer.Index, layer.Source)}";
        return new LintMeasurement(image, layer.Index, layer.Size, bytes, null, [new LintLayerBytes(layer.Index, layer.Source, bytes)], removedBy, summary);
    }

    private static string At(int layer, string? source) =>
        source is null ? layer.ToString(CultureInfo.InvariantCulture) : $"{layer.ToString(CultureInfo.InvariantCulture)} ({source})";

    /// <summary>The line of a <c>FILE:LINE</c> source, or null.</summary>
    private static int? Line(string? source)
    {
        if (source is null) return null;
        int colon = source.LastIndexOf(':');
        return colon >= 0 && int.TryParse(source.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var line) ? line : null;
    }
}
