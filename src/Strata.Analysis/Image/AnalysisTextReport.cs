using System.Globalization;

namespace Strata.Analysis.Image;

/// <summary>The plain-text report (pipes, logs, CI): a summary, the layer table, then the findings, biggest first.</summary>
public static class AnalysisTextReport
{
    private static readonly string[] Header = ["LAYER", "SIZE", "ADDED", "MODIFIED", "REMOVED", "WASTED", "INSTRUCTION"];

    public static void Write(TextWriter output, ImageAnalysis analysis)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(analysis);
        output.WriteLine($"Image:      {analysis.Image} ({analysis.Id})");
        output.WriteLine($"Layers:     {analysis.Layers.Count.ToString(CultureInfo.InvariantCulture)} ({analysis.BaseLayers.ToString(CultureInfo.InvariantCulture)} from the base image, known from {analysis.BaseLayersFrom})");
        output.WriteLine($"Size:       {HumanBytes.Format(analysis.TotalBytes)} in layers, {HumanBytes.Format(analysis.ShippedBytes)} in the final filesystem");
        output.WriteLine($"Wasted:     {HumanBytes.Format(analysis.WastedBytes)} (base {HumanBytes.Format(analysis.BaseWastedBytes)}, user {HumanBytes.Format(analysis.UserWastedBytes)})");
        output.WriteLine($"Efficiency: {(analysis.Efficiency * 100).ToString("0.##", CultureInfo.InvariantCulture)} %, user wasted {analysis.UserWastedPercent.ToString("0.##", CultureInfo.InvariantCulture)} %");
        output.WriteLine();
        var rows = new List<string[]> { Header };
        foreach (var l in analysis.Layers)
        {
            rows.Add([
                l.Index.ToString(CultureInfo.InvariantCulture) + (l.IsBase ? " base" : ""), HumanBytes.Format(l.Size),
                l.Added.ToString(CultureInfo.InvariantCulture), l.Modified.ToString(CultureInfo.InvariantCulture), l.Removed.ToString(CultureInfo.InvariantCulture),
                HumanBytes.Format(l.WastedBytes), Describe(l.Instruction, l.Source),
            ]);
        }
        var widths = Enumerable.Range(0, rows[0].Length - 1).Select(c => rows.Max(r => r[c].Length)).ToArray();
        foreach (var row in rows)
            output.WriteLine(string.Join("  ", row.Take(widths.Length).Select((cell, c) => cell.PadRight(widths[c]))) + "  " + row[^1]);
        output.WriteLine();
        if (analysis.Findings.Count == 0)
        {
            output.WriteLine("No findings.");
            return;
        }
        output.WriteLine($"Findings ({analysis.Findings.Count.ToString(CultureInfo.InvariantCulture)}):");
        foreach (var f in analysis.Findings)
        {
            output.WriteLine($"{f.Severity} {f.Rule}: {f.Message}");
            if (f.Layer >= 0) output.WriteLine($"    layer {f.Layer.ToString(CultureInfo.InvariantCulture)}: {Describe(f.Instruction, f.Source)}");
            else if (f.Instruction is not null) output.WriteLine($"    {Describe(f.Instruction, f.Source)}");
            if (f.ByLayer is { } by) output.WriteLine($"    by layer {by.ToString(CultureInfo.InvariantCulture)}: {Describe(f.ByInstruction, f.BySource)}");
            foreach (var p in f.Paths.Take(5)) output.WriteLine($"    {HumanBytes.Format(p.Bytes),10}  {p.Path}");
            if (f.PathCount > 5) output.WriteLine($"    ... and {(f.PathCount - 5).ToString(CultureInfo.InvariantCulture)} more");
            if (f.Match is not null) output.WriteLine($"    value: {f.Match}");
            output.WriteLine($"    fix: {f.Fix}");
        }
    }

    /// <summary>An instruction with its Dockerfile line when known, on one line.</summary>
    public static string Describe(string? instruction, string? source)
    {
        var text = (instruction ?? "(no history)").ReplaceLineEndings(" ");
        if (text.Length > 100) text = text[..97] + "...";
        return source is null ? text : $"{source}: {text}";
    }
}
