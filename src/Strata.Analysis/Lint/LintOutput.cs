using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Strata.Analysis.Sarif;

namespace Strata.Analysis.Lint;

/// <summary>The three renderings of a <see cref="LintReport"/>: text lines, JSON, SARIF 2.1.0.</summary>
public static class LintOutput
{
    // Relaxed escaping: messages say "&&" and "'", which the default encoder would write as \u0026.
    private static readonly LintJsonContext Json = new(new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    /// <summary>One line per finding, <c>file:line:col CODE message</c>, as compilers and BuildKit print them.</summary>
    public static string ToText(LintReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var sb = new StringBuilder();
        foreach (var f in report.Findings)
            sb.Append(report.File).Append(':').Append(f.Line).Append(':').Append(f.Column).Append(' ').Append(f.Code).Append(' ').Append(MessageOf(f)).Append('\n');
        return sb.ToString();
    }

    public static LintJsonDocument ToDocument(LintReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var findings = report.Findings.Select(f =>
        {
            var rule = Rule(f.Code);
            return new LintJsonFinding(f.Code, rule.Name, Word(f.Severity), f.Line, f.Column, f.Message, rule.Fix, rule.Hadolint, rule.HelpUri) { Measured = f.Measured };
        }).ToList();
        return new LintJsonDocument(1, report.File, findings, report.Count(LintSeverity.Error), report.Count(LintSeverity.Warning), report.Count(LintSeverity.Info));
    }

    public static string ToJson(LintReport report) => JsonSerializer.Serialize(ToDocument(report), Json.LintJsonDocument);

    public static LintJsonDocument? FromJson(string json) => JsonSerializer.Deserialize(json, Json.LintJsonDocument);

    /// <summary>
    /// A SARIF log whose driver lists every rule (help text = summary and fix, helpUri, default
    /// level, the hadolint twin as a tag) and whose results point at the file, line and column.
    /// </summary>
    public static SarifLog ToSarif(LintReport report, string? version = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        var rules = LintRules.All.ToList();
        foreach (var f in report.Findings)
            if (LintRules.Find(f.Code) is null && rules.All(r => r.Code != f.Code)) rules.Add(Rule(f.Code));
        var index = rules.Select((r, i) => (r.Code, i)).ToDictionary(p => p.Code, p => p.i, StringComparer.Ordinal);
        var sarifRules = rules.Select(r => new SarifRule(
            r.Code,
            r.Name,
            new SarifMessage(r.Summary),
            new SarifMessage($"{r.Summary} Fix: {r.Fix}"),
            new SarifMessage($"{r.Summary}\nFix: {r.Fix}") { Markdown = $"{r.Summary}\n\n**Fix:** {r.Fix}" + (r.Hadolint is { } h ? $"\n\nhadolint: `{h}`" : "") },
            new SarifConfiguration(SarifWriter.Level(Word(r.Severity))))
        {
            HelpUri = r.HelpUri,
            Properties = new SarifProperties(r.Hadolint is { } twin ? ["dockerfile", "hadolint:" + twin] : ["dockerfile"]),
        }).ToList();
        var results = report.Findings.Select(f => new SarifResult(
            f.Code,
            index[f.Code],
            SarifWriter.Level(Word(f.Severity)),
            new SarifMessage(MessageOf(f)),
            [new SarifLocation(new SarifPhysicalLocation(new SarifArtifactLocation(report.File), new SarifRegion(f.Line, f.Column)))])
        {
            Properties = f.Measured is { } m ? new JsonObject { ["measured"] = JsonSerializer.SerializeToNode(m, Json.LintMeasurement) } : null,
        }).ToList();
        var driver = new SarifDriver("strata", sarifRules) { Version = version, InformationUri = "https://docs.docker.com/reference/build-checks/" };
        return new SarifLog([new SarifRun(new SarifTool(driver), results)]);
    }

    /// <summary>The finding's message, with what an image measured for it when lint had one.</summary>
    private static string MessageOf(LintFinding f) => f.Measured is { } m ? $"{f.Message}; {m.Summary}" : f.Message;

    public static string Word(LintSeverity severity) => severity switch
    {
        LintSeverity.Error => "error",
        LintSeverity.Warning => "warning",
        _ => "info",
    };

    private static LintRule Rule(string code) =>
        LintRules.Find(code) ?? new LintRule(code, code, LintSeverity.Warning, code, "", null, "https://docs.docker.com/reference/build-checks/");
}
