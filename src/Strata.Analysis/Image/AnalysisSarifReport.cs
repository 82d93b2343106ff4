using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Strata.Analysis.Sarif;

namespace Strata.Analysis.Image;

/// <summary>
/// <c>strata analyze --format sarif</c>: the findings as a SARIF 2.1.0 run. The driver lists every
/// rule (<see cref="AnalysisRules"/>) with help text and fix. A result's location is the Dockerfile
/// line of the step that caused it when a Strata build recorded it (<c>dev.strata.build.*</c>),
/// with the layer and path as logical locations beside it (or alone, for an image Strata did not
/// build); the step that deleted or overwrote the bytes is a related location. Everything else
/// (bytes, paths, instructions, the masked value of a secret) is in the result's property bag.
/// Secret values never appear: findings only ever hold masked samples and redacted instructions.
/// </summary>
public static class AnalysisSarifReport
{
    public const string FingerprintName = "strataFinding/v1";

    public static SarifLog ToSarif(ImageAnalysis analysis, string? version = null)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        var rules = AnalysisRules.All.ToList();
        foreach (var f in analysis.Findings)
            if (rules.All(r => r.Id != f.Rule)) rules.Add(new AnalysisRule(f.Rule, f.Rule, f.Category, f.Severity, f.Rule, f.Fix));
        var index = rules.Select((r, i) => (r.Id, i)).ToDictionary(p => p.Id, p => p.i, StringComparer.Ordinal);
        var sarifRules = rules.Select(r => new SarifRule(
            r.Id,
            r.Name,
            new SarifMessage(r.Summary),
            new SarifMessage($"{r.Summary} Fix: {r.Fix}."),
            new SarifMessage($"{r.Summary}\nFix: {r.Fix}.") { Markdown = $"{r.Summary}\n\n**Fix:** {r.Fix}." },
            new SarifConfiguration(SarifWriter.Level(r.Severity)))
        {
            Properties = new SarifProperties(r.Category == "secret" ? ["image", r.Category, "security"] : ["image", r.Category]),
        }).ToList();
        var results = analysis.Findings.Select(f => Result(analysis, f, index[f.Rule])).ToList();
        var driver = new SarifDriver("strata", sarifRules) { Version = version };
        return new SarifLog([new SarifRun(new SarifTool(driver), results)]);
    }

    private static SarifResult Result(ImageAnalysis analysis, Finding f, int ruleIndex)
    {
        var text = new StringBuilder(f.Message);
        if (f.Category != "secret" && f.Paths.Count > 0)
            text.Append(CultureInfo.InvariantCulture, $"; biggest: {f.Paths[0].Path} ({HumanBytes.Format(f.Paths[0].Bytes)})");
        text.Append(CultureInfo.InvariantCulture, $". Fix: {f.Fix}.");

        var primary = new SarifLocation(Physical(f.Source))
        {
            LogicalLocations = f.Layer >= 0
                ? [Layer(analysis, f.Layer), .. f.Paths.Take(1).Select(p => new SarifLogicalLocation(p.Path, $"layer {f.Layer.ToString(CultureInfo.InvariantCulture)}:{p.Path}", "resource"))]
                : [new SarifLogicalLocation("config", "image config", "object")],
        };
        IReadOnlyList<SarifLocation>? related = null;
        if (f.ByLayer is { } by)
        {
            var verb = f.Category == "secret" ? "deleted it" : f.Rule == "deleted-files" ? "deleted them" : "replaced them";
            related = [new SarifLocation(Physical(f.BySource))
            {
                Id = 1,
                Message = new SarifMessage($"layer {by.ToString(CultureInfo.InvariantCulture)} {verb}: {AnalysisTextReport.Describe(f.ByInstruction, f.BySource)}"),
                LogicalLocations = [Layer(analysis, by)],
            }];
        }
        return new SarifResult(f.Rule, ruleIndex, SarifWriter.Level(f.Severity), new SarifMessage(text.ToString()), [primary])
        {
            RelatedLocations = related,
            PartialFingerprints = new Dictionary<string, string>(StringComparer.Ordinal) { [FingerprintName] = Fingerprint(f) },
            Properties = Properties(analysis, f),
        };
    }

    /// <summary>The Dockerfile region of <c>FILE:LINE</c>, or null.</summary>
    private static SarifPhysicalLocation? Physical(string? source)
    {
        if (source is null) return null;
        int colon = source.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(source.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var line) || line < 1) return null;
        return new SarifPhysicalLocation(new SarifArtifactLocation(source[..colon]), new SarifRegion(line, 1));
    }

    private static SarifLogicalLocation Layer(ImageAnalysis analysis, int layer)
    {
        var name = "layer " + layer.ToString(CultureInfo.InvariantCulture);
        var diffId = layer < analysis.Layers.Count ? analysis.Layers[layer].DiffId : "";
        return new SarifLogicalLocation(name, $"{name} {diffId}".TrimEnd(), "module");
    }

    private static JsonObject Properties(ImageAnalysis analysis, Finding f)
    {
        var bag = new JsonObject
        {
            ["category"] = f.Category,
            ["image"] = analysis.Image,
            ["layer"] = f.Layer,
        };
        if (f.Layer >= 0 && f.Layer < analysis.Layers.Count) bag["layerDiffId"] = analysis.Layers[f.Layer].DiffId;
        if (f.Instruction is not null) bag["instruction"] = f.Instruction;
        if (f.Source is not null) bag["source"] = f.Source;
        if (f.ByLayer is { } by)
        {
            bag["byLayer"] = by;
            if (f.ByInstruction is not null) bag["byInstruction"] = f.ByInstruction;
            if (f.BySource is not null) bag["bySource"] = f.BySource;
        }
        bag["bytes"] = f.Bytes;
        bag["pathCount"] = f.PathCount;
        var paths = new JsonArray();
        foreach (var p in f.Paths) paths.Add((JsonNode)new JsonObject { ["path"] = p.Path, ["bytes"] = p.Bytes });
        bag["paths"] = paths;
        bag["fix"] = f.Fix;
        if (f.Match is not null) bag["match"] = f.Match;
        return bag;
    }

    /// <summary>What stays the same when the image is rebuilt: the rule, the steps and the first path (not bytes, not digests).</summary>
    private static string Fingerprint(Finding f)
    {
        var identity = string.Join('\n', f.Rule, f.Instruction ?? "", f.ByInstruction ?? "", f.Paths.Count > 0 ? f.Paths[0].Path : f.Message);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity)))[..32];
    }
}
