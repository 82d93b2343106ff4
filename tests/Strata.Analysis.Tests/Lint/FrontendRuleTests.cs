using Strata.Analysis.Lint;
using static Strata.Analysis.Tests.Lint.LintAssert;

namespace Strata.Analysis.Tests.Lint;

/// <summary>BuildKit's checks come from the Dockerfile front end; lint reports each once, under BuildKit's name, with a column.</summary>
public sealed class FrontendRuleTests
{
    [Fact]
    public void JSONArgsRecommended_is_reported_once_with_the_instruction_column()
    {
        var f = Single("JSONArgsRecommended", "FROM alpine:3.18\n  CMD echo hi\n");
        Assert.Equal((2, 3, LintSeverity.Warning), (f.Line, f.Column, f.Severity));
        Assert.Equal("JSON arguments recommended for CMD to prevent unintended behavior related to OS signals", f.Message);
        Assert.Empty(At("JSONArgsRecommended", "FROM alpine:3.18\nCMD [\"echo\", \"hi\"]\n"));
    }

    [Fact]
    public void SecretsUsedInArgOrEnv_is_an_error_in_lint()
    {
        var f = Single("SecretsUsedInArgOrEnv", "FROM alpine:3.18\nENV API_TOKEN=abc\n");
        Assert.Equal((2, 1, LintSeverity.Error), (f.Line, f.Column, f.Severity));
        Assert.Empty(At("SecretsUsedInArgOrEnv", "FROM alpine:3.18\nENV PUBLIC_KEY=abc\n"));
    }

    [Fact]
    public void Casing_maintainer_and_undefined_variable_checks_keep_BuildKit_names()
    {
        var report = LintText("FROM alpine:3.18 as Build\nMAINTAINER me\nENV A=$NOPE\n");
        Assert.Equal(
            [("FromAsCasing", 1), ("StageNameCasing", 1), ("MaintainerDeprecated", 2), ("UndefinedVar", 3)],
            report.Findings.Where(f => LintRules.Find(f.Code)!.FromFrontend).Select(f => (f.Code, f.Line)).OrderBy(p => p.Line).ThenBy(p => p.Code, StringComparer.Ordinal).ToList());
    }

    [Fact]
    public void STR000_a_Dockerfile_that_does_not_parse_is_one_error_at_its_place()
    {
        var report = LintText("FROM alpine\nRUNN make\n");
        var f = Assert.Single(report.Findings);
        Assert.Equal(("STR000", 2, 1, LintSeverity.Error), (f.Code, f.Line, f.Column, f.Severity));
        Assert.Equal("unknown instruction: RUNN (did you mean RUN?)", f.Message);
    }

    [Fact]
    public void Every_rule_has_a_unique_code_a_summary_a_fix_and_a_help_page()
    {
        Assert.Equal(LintRules.All.Count, LintRules.All.Select(r => r.Code).Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.All(LintRules.All, r =>
        {
            Assert.NotEmpty(r.Summary);
            Assert.NotEmpty(r.Fix);
            Assert.StartsWith("https://", r.HelpUri, StringComparison.Ordinal);
        });
        Assert.Equal(19, LintRules.All.Count(r => r.Code.StartsWith("STR", StringComparison.Ordinal)));
        Assert.Equal("DL3009", LintRules.Find("str003")!.Hadolint);
    }
}
