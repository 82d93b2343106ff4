using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Strata.Analysis.Image.Html;

/// <summary>
/// <c>strata analyze --html FILE</c>: one self-contained page (inline CSS, inline SVG, one inline
/// script; no request leaves the page, its Content-Security-Policy forbids any): a summary, the
/// layer stack as a chart of sizes and wasted bytes, the findings table (each finding linked to
/// its layer, to the layer that deleted or overwrote its bytes, and to its Dockerfile step), the
/// Dockerfile steps when a Strata build recorded them, and each layer's file tree of added,
/// modified and removed paths (the biggest <see cref="DefaultKeepChanges"/> per layer; the page
/// says when a layer has more). Everything taken from the image is escaped (<see cref="HtmlText"/>).
/// </summary>
public static class AnalysisHtmlReport
{
    /// <summary>Changed paths per layer the page shows (analyze with <see cref="ImageAnalysisOptions.KeepChanges"/> set to this).</summary>
    public const int DefaultKeepChanges = 1000;

    private static readonly string StyleHash = Hash(HtmlAssets.Style);
    private static readonly string ScriptHash = Hash(HtmlAssets.Script);

    public static string Render(ImageAnalysis analysis)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        var html = new StringBuilder(64 * 1024);
        var steps = Steps(analysis);
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
        html.Append(CultureInfo.InvariantCulture, $"<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src '{StyleHash}'; script-src '{ScriptHash}'; img-src data:; base-uri 'none'; form-action 'none'\">");
        html.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        html.Append("<title>strata analyze: ").Append(HtmlText.Escape(analysis.Image)).Append("</title>");
        html.Append("<style>").Append(HtmlAssets.Style).Append("</style></head><body>");
        Summary(html, analysis);
        html.Append("<section id=\"chart\"><h2>Layers</h2>");
        LayerChart.Write(html, analysis);
        html.Append("</section>");
        Findings(html, analysis, steps);
        if (steps.Count > 0) Steps(html, analysis, steps);
        Trees(html, analysis);
        html.Append("<script>").Append(HtmlAssets.Script).Append("</script></body></html>\n");
        return html.ToString();
    }

    private static void Summary(StringBuilder html, ImageAnalysis a)
    {
        string I(long n) => n.ToString(CultureInfo.InvariantCulture);
        html.Append("<header><h1>").Append(HtmlText.Escape(a.Image)).Append("</h1><dl class=\"summary\">");
        Row(html, "Image ID", $"<code>{HtmlText.Escape(a.Id)}</code>");
        Row(html, "Manifest", $"<code>{HtmlText.Escape(a.ManifestDigest)}</code>");
        Row(html, "Layers", HtmlText.Escape($"{I(a.Layers.Count)} ({I(a.BaseLayers)} from the base image, known from {a.BaseLayersFrom})"));
        Row(html, "Size", HtmlText.Escape($"{HumanBytes.Format(a.TotalBytes)} in layers, {HumanBytes.Format(a.ShippedBytes)} in the final filesystem"));
        Row(html, "Wasted", $"<strong id=\"wasted-bytes\">{HtmlText.Escape(HumanBytes.Format(a.WastedBytes))}</strong> " + HtmlText.Escape($"(base {HumanBytes.Format(a.BaseWastedBytes)}, user {HumanBytes.Format(a.UserWastedBytes)})"));
        Row(html, "Efficiency", HtmlText.Escape($"{(a.Efficiency * 100).ToString("0.##", CultureInfo.InvariantCulture)} %, user layers waste {a.UserWastedPercent.ToString("0.##", CultureInfo.InvariantCulture)} %"));
        html.Append("</dl></header>");
    }

    private static void Row(StringBuilder html, string term, string safeHtml) =>
        html.Append("<dt>").Append(term).Append("</dt><dd>").Append(safeHtml).Append("</dd>");

    /// <summary>Each distinct Dockerfile location a layer or finding names, with its anchor.</summary>
    private static Dictionary<string, string> Steps(ImageAnalysis a)
    {
        var sources = a.Layers.Select(l => l.Source)
            .Concat(a.Findings.SelectMany(f => new[] { f.Source, f.BySource }))
            .OfType<string>().Distinct(StringComparer.Ordinal);
        return sources.Select((s, i) => (s, i)).ToDictionary(p => p.s, p => "step-" + p.i.ToString(CultureInfo.InvariantCulture), StringComparer.Ordinal);
    }

    private static void Findings(StringBuilder html, ImageAnalysis a, Dictionary<string, string> steps)
    {
        string I(int n) => n.ToString(CultureInfo.InvariantCulture);
        html.Append(CultureInfo.InvariantCulture, $"<section id=\"findings\"><h2>Findings (<span id=\"finding-count\">{I(a.Findings.Count)}</span> of {I(a.Findings.Count)})</h2>");
        if (a.Findings.Count == 0)
        {
            html.Append("<p id=\"no-findings\">No findings.</p></section>");
            return;
        }
        html.Append("<div class=\"controls\"><label>Layer: <select id=\"finding-filter\"><option value=\"all\">all layers</option>");
        foreach (var l in a.Layers) html.Append(CultureInfo.InvariantCulture, $"<option value=\"{I(l.Index)}\">layer {I(l.Index)}</option>");
        html.Append("<option value=\"-1\">config</option></select></label></div>");
        html.Append("<table id=\"findings-table\"><thead><tr><th>Severity</th><th>Rule</th><th>Layer</th><th>Bytes</th><th>Finding and fix</th><th>Dockerfile</th></tr></thead><tbody>");
        for (int k = 0; k < a.Findings.Count; k++)
        {
            var f = a.Findings[k];
            var by = f.ByLayer is { } b ? $" data-by=\"{I(b)}\"" : "";
            html.Append(CultureInfo.InvariantCulture, $"<tr id=\"finding-{I(k)}\" class=\"{(f.Severity == "error" ? "error" : "warning")}\" data-layer=\"{I(f.Layer)}\"{by}>");
            html.Append("<td class=\"sev\">").Append(HtmlText.Escape(f.Severity)).Append("</td>");
            html.Append("<td><code>").Append(HtmlText.Escape(f.Rule)).Append("</code></td><td class=\"num\">");
            html.Append(f.Layer >= 0 ? LayerLink(f.Layer) : "config");
            if (f.ByLayer is { } byLayer) html.Append(" &rarr; ").Append(LayerLink(byLayer));
            html.Append("</td><td class=\"num\">").Append(HtmlText.Escape(HumanBytes.Format(f.Bytes))).Append("</td><td>");
            html.Append("<div class=\"message\">").Append(HtmlText.Escape(f.Message)).Append("</div>");
            if (f.Paths.Count > 0)
            {
                html.Append("<ul class=\"paths\">");
                foreach (var p in f.Paths.Take(5))
                    html.Append("<li><code>").Append(HtmlText.Escape(p.Path)).Append("</code> <span class=\"size\">").Append(HtmlText.Escape(HumanBytes.Format(p.Bytes))).Append("</span></li>");
                if (f.PathCount > 5) html.Append(CultureInfo.InvariantCulture, $"<li class=\"note\">and {I(f.PathCount - 5)} more</li>");
                html.Append("</ul>");
            }
            if (f.Match is not null) html.Append("<div class=\"value\">value: <code>").Append(HtmlText.Escape(f.Match)).Append("</code></div>");
            html.Append("<div class=\"fix\">fix: ").Append(HtmlText.Escape(f.Fix)).Append("</div></td><td>");
            html.Append(StepLink(f.Source, steps));
            if (f.BySource is not null) html.Append("<br>&rarr; ").Append(StepLink(f.BySource, steps));
            html.Append("</td></tr>");
        }
        html.Append("</tbody></table></section>");
    }

    private static void Steps(StringBuilder html, ImageAnalysis a, Dictionary<string, string> steps)
    {
        html.Append("<section id=\"steps\"><h2>Dockerfile steps</h2><table><thead><tr><th>Location</th><th>Layer</th><th>Instruction</th></tr></thead><tbody>");
        foreach (var (source, id) in steps)
        {
            var layer = a.Layers.FirstOrDefault(l => l.Source == source);
            html.Append(CultureInfo.InvariantCulture, $"<tr id=\"{id}\"><td><code>").Append(HtmlText.Escape(source)).Append("</code></td><td class=\"num\">")
                .Append(layer is null ? "" : LayerLink(layer.Index)).Append("</td><td><code>")
                .Append(HtmlText.Escape(layer?.Instruction ?? a.Findings.FirstOrDefault(f => f.Source == source)?.Instruction ?? "")).Append("</code></td></tr>");
        }
        html.Append("</tbody></table></section>");
    }

    private static void Trees(StringBuilder html, ImageAnalysis a)
    {
        string I(long n) => n.ToString(CultureInfo.InvariantCulture);
        html.Append("<section id=\"layers\"><h2>Layer file trees</h2>");
        if (a.Changes.Count == 0)
        {
            html.Append("<p class=\"note\">This analysis kept no file lists.</p></section>");
            return;
        }
        html.Append("<div class=\"controls\"><button type=\"button\" data-tree=\"open\">Expand all</button> <button type=\"button\" data-tree=\"close\">Collapse all</button></div>");
        foreach (var l in a.Layers)
        {
            var changes = l.Index < a.Changes.Count ? a.Changes[l.Index] : new LayerChanges(l.Index, 0, []);
            html.Append(CultureInfo.InvariantCulture, $"<details class=\"layer\" id=\"layer-{I(l.Index)}\" data-layer=\"{I(l.Index)}\"><summary>");
            html.Append(HtmlText.Escape($"layer {I(l.Index)}{(l.IsBase ? " (base)" : "")}: {HumanBytes.Format(l.Size)}, +{I(l.Added)} ~{I(l.Modified)} -{I(l.Removed)}"
                + (l.WastedBytes > 0 ? $", {HumanBytes.Format(l.WastedBytes)} wasted" : "") + $" | {AnalysisTextReport.Describe(l.Instruction, l.Source)}"));
            html.Append("</summary><div class=\"body\">");
            html.Append("<div class=\"mono\">").Append(HtmlText.Escape(l.DiffId)).Append("</div>");
            if (l.Instruction is not null) html.Append("<pre>").Append(HtmlText.Escape(l.Instruction)).Append("</pre>");
            if (changes.Capped)
                html.Append(CultureInfo.InvariantCulture, $"<p class=\"note capped\">Showing the {I(changes.Kept.Count)} biggest of {I(changes.Total)} changed paths of this layer (the page keeps at most {I(changes.Kept.Count)} per layer).</p>");
            if (changes.Kept.Count == 0) html.Append("<p class=\"note\">No file changes (directories only, or an empty layer).</p>");
            else ChangeTree.Write(html, changes.Kept);
            html.Append("</div></details>");
        }
        html.Append("</section>");
    }

    private static string LayerLink(int layer)
    {
        var i = layer.ToString(CultureInfo.InvariantCulture);
        return $"<a href=\"#layer-{i}\">{i}</a>";
    }

    private static string StepLink(string? source, Dictionary<string, string> steps) =>
        source is not null && steps.TryGetValue(source, out var id) ? $"<a href=\"#{id}\">{HtmlText.Escape(source)}</a>" : "";

    /// <summary>A CSP source for an inline element's exact text.</summary>
    private static string Hash(string text) => "sha256-" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
