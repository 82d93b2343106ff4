using Strata.Analysis.Lint;
using static Strata.Analysis.Tests.Lint.LintAssert;

namespace Strata.Analysis.Tests.Lint;

public sealed class LintOutputTests
{
    private const string Text = "FROM alpine:3.18\nRUN date > /t\nENV API_TOKEN=x\nUSER app\n";

    [Fact]
    public void Text_is_one_file_line_col_code_message_line_per_finding()
    {
        Assert.Equal(
            "Dockerfile:2:5 STR005 date at build time: the layer records when it was built, so it changes on every uncached rebuild (and with it every later layer) and is stale while cached; make timestamps at run time or from SOURCE_DATE_EPOCH\n"
            + "Dockerfile:3:1 SecretsUsedInArgOrEnv Do not use ARG or ENV instructions for sensitive data (ENV \"API_TOKEN\"): the value stays in the image history; use RUN --mount=type=secret\n",
            LintOutput.ToText(LintText(Text)));
    }

    [Fact]
    public void Json_carries_rule_details_and_counts_and_round_trips()
    {
        var json = LintOutput.ToJson(LintText(Text));
        Assert.Contains("\"hadolint\": null", json, StringComparison.Ordinal);
        Assert.Contains("join them with &&", LintOutput.ToJson(LintText("FROM alpine:3.18\nRUN a\nRUN b\nRUN c\nUSER app\n")), StringComparison.Ordinal);
        var doc = LintOutput.FromJson(json)!;
        Assert.Equal((1, "Dockerfile", 1, 1, 0), (doc.SchemaVersion, doc.File, doc.Errors, doc.Warnings, doc.Infos));
        var secret = doc.Findings[1];
        Assert.Equal(("SecretsUsedInArgOrEnv", "error", 3, 1), (secret.Code, secret.Severity, secret.Line, secret.Column));
        Assert.Equal("https://docs.docker.com/go/dockerfile/rule/secrets-used-in-arg-or-env/", secret.HelpUri);
        Assert.Equal(("TimestampInRun", "warning"), (doc.Findings[0].Name, doc.Findings[0].Severity));
    }

    [Fact]
    public void Failure_threshold_counts_findings_at_least_as_severe()
    {
        var warningsOnly = LintText("FROM alpine:3.18\nRUN date > /t\nUSER app\n");
        Assert.False(warningsOnly.Fails(LintSeverity.Error));
        Assert.True(warningsOnly.Fails(LintSeverity.Warning));
        Assert.False(warningsOnly.Fails(null));
        var notesOnly = LintText("FROM alpine\nUSER app\n");
        Assert.False(notesOnly.Fails(LintSeverity.Warning));
        Assert.True(notesOnly.Fails(LintSeverity.Info));
    }
}
