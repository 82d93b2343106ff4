using Strata.Analysis.Sarif;
using Strata.Analysis.Tests.Sarif;

namespace Strata.Analysis.Tests.EndToEnd;

/// <summary>The verb's report options: <c>--format sarif</c> from a built image, <c>--html</c> beside another format, bad combinations.</summary>
public sealed class AnalyzeReportCliTests(ChapterStore store) : IClassFixture<ChapterStore>
{
    private const string Bad = "FROM bb:1\nRUN mkdir -p /var/lib/apt/lists && head -c 300000 /dev/zero > /var/lib/apt/lists/deb_dists_Packages\nRUN rm -rf /var/lib/apt/lists/*\n";

    [Fact]
    public async Task Format_sarif_prints_a_valid_log_pointing_at_the_Dockerfile_lines_of_the_build()
    {
        var analysis = await store.BuildAndAnalyzeAsync("sarif:1", Bad);
        var stdout = (await new StrataCli(store.Root).RunAsync("analyze", "--format", "sarif", "sarif:1")).EnsureSuccess().Stdout;
        var (code, output) = await SarifValidator.ValidateAsync(stdout, store.Work);
        Assert.True(code == 0, output);

        var run = Assert.Single(SarifWriter.FromJson(stdout)!.Runs);
        Assert.Equal(analysis.Findings.Select(f => f.Rule), run.Results.Select(r => r.RuleId));
        var deleted = run.Results.Single(r => r.RuleId == "deleted-files");
        Assert.Equal(("Dockerfile", 2), (deleted.Locations[0].PhysicalLocation!.ArtifactLocation.Uri, deleted.Locations[0].PhysicalLocation!.Region.StartLine));
        Assert.Equal(3, deleted.RelatedLocations![0].PhysicalLocation!.Region.StartLine);
        Assert.Equal("package-cache", run.Results.Single(r => r.RuleId == "package-cache").RuleId);
    }

    [Fact]
    public async Task Html_is_written_beside_the_text_report_and_bad_options_are_one_line_errors()
    {
        await store.BuildAndAnalyzeAsync("html-cli:1", Bad);
        var page = Path.Combine(store.Work, "out", "page.html");
        Directory.CreateDirectory(Path.GetDirectoryName(page)!);
        var r = (await new StrataCli(store.Root).RunAsync("analyze", "--html", page, "html-cli:1")).EnsureSuccess();
        Assert.StartsWith("Image:      html-cli:1 (sha256:", r.Stdout, StringComparison.Ordinal);
        var html = await File.ReadAllTextAsync(page);
        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.Contains("<title>strata analyze: html-cli:1</title>", html, StringComparison.Ordinal);
        Assert.Equal(["page.html"], Directory.GetFiles(Path.GetDirectoryName(page)!).Select(Path.GetFileName));

        var both = await new StrataCli(store.Root).RunAsync("analyze", "--json", "--format", "sarif", "html-cli:1");
        Assert.Equal((2, "Error: --json and --format sarif disagree: give one"), (both.ExitCode, both.Stderr.Trim()));
        var unknown = await new StrataCli(store.Root).RunAsync("analyze", "--format", "xml", "html-cli:1");
        Assert.Equal((2, "Error: unknown format \"xml\": use text, json or sarif"), (unknown.ExitCode, unknown.Stderr.Trim()));
        var missing = Path.Combine(store.Work, "no-such-dir", "r.html");
        var nowhere = await new StrataCli(store.Root).RunAsync("analyze", "--html", missing, "html-cli:1");
        StrataExit.AssertFailed(nowhere.ExitCode, nowhere.ToString());
        Assert.Equal($"Error: --html {missing}: directory {Path.GetDirectoryName(missing)} not found", nowhere.Stderr.Trim());
    }
}
