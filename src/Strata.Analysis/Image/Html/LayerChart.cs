using System.Globalization;
using System.Text;

namespace Strata.Analysis.Image.Html;

/// <summary>
/// The layer stack as an inline SVG bar chart: one row per layer, bottom layer first as in the
/// tables, the bar's length its size on one linear scale, the part that does not ship (wasted)
/// drawn over its start in another colour, base layers in a muted colour. Each row links to the
/// layer's file tree and carries the instruction as its tooltip.
/// </summary>
internal static class LayerChart
{
    private const int Width = 960;
    private const int Row = 26;
    private const int LabelWidth = 70;
    private const int BarWidth = 560;

    public static void Write(StringBuilder html, ImageAnalysis analysis)
    {
        long max = Math.Max(1, analysis.Layers.Count == 0 ? 1 : analysis.Layers.Max(l => l.Size));
        int height = Math.Max(1, analysis.Layers.Count) * Row + 24;
        html.Append(CultureInfo.InvariantCulture, $"<svg id=\"layer-chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{height}\" viewBox=\"0 0 {Width} {height}\" role=\"img\" aria-labelledby=\"chart-title\">");
        html.Append("<title id=\"chart-title\">Layer sizes and wasted bytes</title>");
        foreach (var l in analysis.Layers)
        {
            int y = l.Index * Row + 4;
            string index = l.Index.ToString(CultureInfo.InvariantCulture);
            double size = Scale(l.Size, max);
            double wasted = Scale(Math.Min(l.WastedBytes, l.Size), max);
            html.Append(CultureInfo.InvariantCulture, $"<a href=\"#layer-{index}\" class=\"bar{(l.IsBase ? " base" : "")}\" data-layer=\"{index}\">");
            html.Append("<title>").Append(HtmlText.Escape($"layer {index}: {AnalysisTextReport.Describe(l.Instruction, l.Source)}")).Append("</title>");
            html.Append(CultureInfo.InvariantCulture, $"<text class=\"label\" x=\"4\" y=\"{y + 16}\">#{index}{(l.IsBase ? " base" : "")}</text>");
            html.Append(CultureInfo.InvariantCulture, $"<rect class=\"track\" x=\"{LabelWidth}\" y=\"{y}\" width=\"{BarWidth}\" height=\"{Row - 6}\"/>");
            html.Append(CultureInfo.InvariantCulture, $"<rect class=\"size\" x=\"{LabelWidth}\" y=\"{y}\" width=\"{size:0.##}\" height=\"{Row - 6}\"/>");
            html.Append(CultureInfo.InvariantCulture, $"<rect class=\"wasted\" x=\"{LabelWidth}\" y=\"{y}\" width=\"{wasted:0.##}\" height=\"{Row - 6}\"/>");
            var caption = HumanBytes.Format(l.Size) + (l.WastedBytes > 0 ? $", {HumanBytes.Format(l.WastedBytes)} wasted" : "");
            html.Append(CultureInfo.InvariantCulture, $"<text class=\"value\" x=\"{LabelWidth + BarWidth + 8}\" y=\"{y + 16}\">{HtmlText.Escape(caption)}</text>");
            html.Append("</a>");
        }
        int legend = analysis.Layers.Count * Row + 18;
        html.Append(CultureInfo.InvariantCulture, $"<rect class=\"size\" x=\"{LabelWidth}\" y=\"{legend - 10}\" width=\"12\" height=\"12\"/><text class=\"legend\" x=\"{LabelWidth + 16}\" y=\"{legend}\">layer size</text>");
        html.Append(CultureInfo.InvariantCulture, $"<rect class=\"size base-key\" x=\"{LabelWidth + 110}\" y=\"{legend - 10}\" width=\"12\" height=\"12\"/><text class=\"legend\" x=\"{LabelWidth + 126}\" y=\"{legend}\">base layer</text>");
        html.Append(CultureInfo.InvariantCulture, $"<rect class=\"wasted\" x=\"{LabelWidth + 220}\" y=\"{legend - 10}\" width=\"12\" height=\"12\"/><text class=\"legend\" x=\"{LabelWidth + 236}\" y=\"{legend}\">wasted (deleted or overwritten above)</text>");
        html.Append("</svg>");
    }

    /// <summary>Bar length: linear, at least one pixel for a non-empty layer so it stays visible.</summary>
    private static double Scale(long bytes, long max) => bytes <= 0 ? 0 : Math.Max(1, (double)bytes / max * BarWidth);
}
