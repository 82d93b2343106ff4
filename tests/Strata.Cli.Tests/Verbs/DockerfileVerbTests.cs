using Strata.Dockerfile.Instructions;
using Strata.Dockerfile.Reports;

namespace Strata.Cli.Tests.Verbs;

public sealed class DockerfileVerbTests : IDisposable
{
    private readonly TempDir _tempDir = new("strata-cli-");

    public void Dispose() => _tempDir.Dispose();

    private string Write(string text)
    {
        var path = Path.Combine(_tempDir.Path, "Dockerfile");
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public async Task Parse_json_prints_the_typed_stages_and_warnings_go_to_stderr()
    {
        var path = Write("ARG V=1\nFROM alpine:$V AS build\nMAINTAINER me\nRUN --mount=type=cache,target=/c make\nFROM scratch\nCOPY --from=build /out /\n");
        var r = await StrataCli.WithoutStore.RunAsync("dockerfile", "parse", "--json", "--build-arg", "V=3.19", path);
        Assert.Equal(0, r.ExitCode);
        var report = DockerfileReportWriter.FromJson(r.Stdout)!;
        Assert.Equal("alpine:3.19", report.Stages[0].BaseName);
        Assert.Equal("build", report.Stages[0].Name);
        var run = Assert.IsType<RunInstruction>(report.Stages[0].Instructions[1]);
        Assert.Equal(MountType.Cache, run.Mounts[0].Type);
        Assert.Equal("1", report.Target);
        Assert.Contains("warning: Dockerfile:3: Maintainer instruction is deprecated", r.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("warning:", r.Stdout, StringComparison.Ordinal);
        Assert.Contains(report.Warnings, w => w.Rule == "MaintainerDeprecated" && w.Line == 3);
    }

    [Fact]
    public async Task Parse_without_json_lists_stages_and_marks_pruned_ones()
    {
        var path = Write("FROM a AS one\nRUN x\nFROM b AS two\nRUN y\n");
        var r = await StrataCli.WithoutStore.RunAsync("dockerfile", "parse", "--target", "one", path);
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("stage 0 (one) FROM a [target]", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("stage 1 (two) FROM b [not needed]", r.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Parse_reads_standard_input_for_a_dash()
    {
        var r = await StrataCli.WithoutStore.RunAsync(["dockerfile", "parse", "--json", "-"], new RunOptions { StdinText = "FROM busybox\nCMD [\"sh\"]\n" });
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("busybox", DockerfileReportWriter.FromJson(r.Stdout)!.Stages[0].BaseName);
    }

    [Fact]
    public async Task A_Dockerfile_error_is_one_line_with_location_and_a_usage_exit_code()
    {
        var path = Write("FROM a\nRUNN make\n");
        var r = await StrataCli.WithoutStore.RunAsync("dockerfile", "parse", path);
        Assert.Equal(2, r.ExitCode);
        Assert.Equal("Error: Dockerfile:2:1: unknown instruction: RUNN (did you mean RUN?) in: RUNN make", r.Stderr.TrimEnd());
        Assert.Empty(r.Stdout);
    }

    [Fact]
    public async Task Unknown_target_is_reported_with_a_suggestion()
    {
        var path = Write("FROM a AS builder\nFROM b\n");
        var r = await StrataCli.WithoutStore.RunAsync("dockerfile", "parse", "--target", "bulder", path);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("target stage \"bulder\" could not be found (did you mean builder?)", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_file_is_a_not_found_error()
    {
        var r = await StrataCli.WithoutStore.RunAsync("dockerfile", "parse", Path.Combine(_tempDir.Path, "nope"));
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("Dockerfile not found", r.Stderr, StringComparison.Ordinal);
    }
}
