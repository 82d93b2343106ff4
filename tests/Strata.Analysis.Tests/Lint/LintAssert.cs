using Strata.Analysis.Lint;

namespace Strata.Analysis.Tests.Lint;

/// <summary>Lints text and picks out one rule's findings as (line, column) pairs.</summary>
internal static class LintAssert
{
    public static LintReport LintText(string text, LintContext? context = null) => DockerfileLinter.Lint(text, "Dockerfile", context);

    public static List<(int Line, int Column)> At(string code, string text, LintContext? context = null) =>
        LintText(text, context).Findings.Where(f => f.Code == code).Select(f => (f.Line, f.Column)).ToList();

    public static LintFinding Single(string code, string text, LintContext? context = null) =>
        Assert.Single(LintText(text, context).Findings, f => f.Code == code);
}
