using Strata.Analysis.Lint;
using Strata.Analysis.Sarif;

namespace Strata.Analysis.Tests.Sarif;

/// <summary>
/// Lint's SARIF output validated against the SARIF 2.1.0 JSON schema (vendored under Sarif/Schema) by a
/// real JSON-schema validator: Debian's python3-jsonschema (<see cref="SarifValidator"/>).
/// </summary>
public sealed class SarifSchemaTests : IDisposable
{
    private readonly TempDir _tempDir = new("strata-sarif-");

    public void Dispose() => _tempDir.Dispose();

    private Task<(int ExitCode, string Output)> ValidateAsync(string sarifJson) => SarifValidator.ValidateAsync(sarifJson, _tempDir.Path);

    private static LintReport Report() => DockerfileLinter.Lint(
        "FROM ubuntu:22.04\nRUN apt-get update\nRUN apt-get install -y curl\nRUN apt-get clean\nCOPY secret.key /tmp/\nRUN rm /tmp/secret.key\nCMD run\n", "docker/Dockerfile");

    [Fact]
    public async Task Lint_SARIF_is_valid_against_the_2_1_0_schema()
    {
        var (code, output) = await ValidateAsync(SarifWriter.ToJson(LintOutput.ToSarif(Report(), "1.2.3")));
        Assert.True(code == 0, output);
        Assert.Contains("draft=Draft4Validator", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_validator_rejects_a_region_at_line_zero()
    {
        var json = SarifWriter.ToJson(LintOutput.ToSarif(Report())).Replace("\"startLine\": 2,", "\"startLine\": 0,", StringComparison.Ordinal);
        var (code, output) = await ValidateAsync(json);
        Assert.Equal(1, code);
        Assert.Contains("startLine: 0 is less than the minimum of 1", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Rules_carry_help_text_help_uri_and_level_and_results_point_into_the_file()
    {
        var log = LintOutput.ToSarif(Report(), "1.2.3");
        var run = Assert.Single(log.Runs);
        Assert.Equal(("strata", "1.2.3"), (run.Tool.Driver.Name, run.Tool.Driver.Version));
        Assert.Equal(LintRules.All.Count, run.Tool.Driver.Rules.Count);
        var secret = run.Results.Single(r => r.RuleId == "STR008");
        Assert.Equal("error", secret.Level);
        Assert.Equal("STR008", run.Tool.Driver.Rules[secret.RuleIndex].Id);
        var location = Assert.Single(secret.Locations).PhysicalLocation!;
        Assert.Equal(("docker/Dockerfile", 5, 6), (location.ArtifactLocation.Uri, location.Region.StartLine, location.Region.StartColumn));
        var rule = run.Tool.Driver.Rules.Single(r => r.Id == "STR003");
        Assert.Equal(("note", "https://github.com/hadolint/hadolint/wiki/DL3009"), (rule.DefaultConfiguration.Level, rule.HelpUri));
        Assert.StartsWith("apt-get install leaves the package lists", rule.Help.Text, StringComparison.Ordinal);
        Assert.Contains("hadolint:DL3009", rule.Properties!.Tags);
        var json = SarifWriter.ToJson(log);
        Assert.Contains("\"version\": \"2.1.0\"", json, StringComparison.Ordinal);
        var back = SarifWriter.FromJson(json)!;
        Assert.Equal(run.Results.Select(r => (r.RuleId, r.Message.Text)), back.Runs[0].Results.Select(r => (r.RuleId, r.Message.Text)));
    }
}
