using Strata.Analysis.Lint;
using static Strata.Analysis.Tests.Lint.LintAssert;

namespace Strata.Analysis.Tests.Lint;

public sealed class SuppressionTests
{
    [Fact]
    public void An_ignore_comment_above_an_instruction_silences_its_codes_there_only()
    {
        const string text = "FROM alpine:3.18\n# strata-lint ignore=STR005\nRUN date > /a\nRUN date > /b\n";
        Assert.Equal([(4, 5)], At("STR005", text));
    }

    [Fact]
    public void An_ignore_comment_takes_hadolint_codes_and_covers_continuation_lines()
    {
        const string text = "FROM debian:12-slim\n# why: we want recommends\n# strata-lint ignore=DL3015,STR003\nRUN apt-get update \\\n    && apt-get install -y curl\n";
        var codes = LintText(text).Findings.Select(f => f.Code).ToList();
        Assert.DoesNotContain("STR017", codes);
        Assert.DoesNotContain("STR003", codes);
    }

    [Fact]
    public void A_blank_line_between_comment_and_instruction_breaks_the_link()
    {
        Assert.Equal([(4, 5)], At("STR005", "FROM alpine:3.18\n# strata-lint ignore=STR005\n\nRUN date > /a\n"));
    }

    [Fact]
    public void The_global_form_before_the_first_instruction_silences_the_whole_file()
    {
        Assert.Empty(At("STR013", "# strata-lint global ignore=STR013,STR015\nFROM alpine\n"));
        Assert.Empty(At("STR015", "# strata-lint global ignore=STR013,STR015\nFROM alpine\n"));
        // After the first instruction it is not global.
        Assert.Equal([(3, 6)], At("STR013", "FROM alpine:3.18\n# strata-lint global ignore=STR013\nFROM busybox\n"));
    }

    [Fact]
    public void BuildKit_check_directive_skips_lint_codes_and_error_true_makes_every_finding_an_error()
    {
        Assert.Empty(At("STR013", "# check=skip=STR013\nFROM alpine\n"));
        var report = LintText("# check=error=true\nFROM alpine:3.18\nCMD echo hi\nUSER app\n");
        var f = Assert.Single(report.Findings);
        Assert.Equal(("JSONArgsRecommended", LintSeverity.Error), (f.Code, f.Severity));
    }
}
