using System.Text.Json;

namespace Strata.Cli.Tests.Verbs;

public sealed class LintVerbTests : IDisposable
{
    private readonly TempDir _tempDir = new("strata-lint-cli-");

    public void Dispose() => _tempDir.Dispose();

    private string Write(string text, string name = "Dockerfile")
    {
        var path = Path.Combine(_tempDir.Path, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public async Task A_clean_Dockerfile_exits_0_and_prints_nothing()
    {
        Write("FROM alpine:3.18\nRUN apk add --no-cache curl\nUSER app\n");
        var r = await StrataCli.WithoutStore.RunAsync(["lint"], new RunOptions { WorkingDirectory = _tempDir.Path });
        Assert.Equal((0, "", ""), (r.ExitCode, r.Stdout, r.Stderr));
    }

    [Fact]
    public async Task Warnings_exit_0_unless_strict_or_the_threshold_says_warning()
    {
        var path = Write("FROM alpine:3.18\nRUN date > /t\nUSER app\n");
        var r = await StrataCli.WithoutStore.RunAsync("lint", path);
        Assert.Equal(0, r.ExitCode);
        // A path outside the working directory is printed as given (absolute here).
        Assert.StartsWith($"{path}:2:5 STR005 date at build time", r.Stdout, StringComparison.Ordinal);
        Assert.Equal(1, (await StrataCli.WithoutStore.RunAsync("lint", "--strict", path)).ExitCode);
        Assert.Equal(1, (await StrataCli.WithoutStore.RunAsync("lint", "--failure-threshold", "warning", path)).ExitCode);
    }

    [Fact]
    public async Task An_error_exits_1_unless_the_threshold_is_none()
    {
        Write("FROM alpine:3.18\nCOPY secret.key /tmp/\nRUN rm /tmp/secret.key\nUSER app\n");
        var r = await StrataCli.WithoutStore.RunAsync(["lint", "Dockerfile"], new RunOptions { WorkingDirectory = _tempDir.Path });
        Assert.Equal(1, r.ExitCode);
        Assert.Equal("Dockerfile:2:6 STR008 secret.key is copied on line 2 and removed on line 3, but stays in the layer of line 2: use RUN --mount=type=secret\n", r.Stdout);
        Assert.Equal(0, (await StrataCli.WithoutStore.RunAsync(["lint", "-t", "none", "Dockerfile"], new RunOptions { WorkingDirectory = _tempDir.Path })).ExitCode);
    }

    [Fact]
    public async Task A_context_directory_is_checked_for_a_dockerignore_and_json_and_sarif_are_printed()
    {
        Write("FROM alpine:3.18\nCOPY . /app\nUSER app\n");
        Directory.CreateDirectory(Path.Combine(_tempDir.Path, "node_modules"));
        var r = await StrataCli.WithoutStore.RunAsync("lint", "--format", "json", _tempDir.Path);
        Assert.Equal(0, r.ExitCode);
        using var json = JsonDocument.Parse(r.Stdout);
        var finding = Assert.Single(json.RootElement.GetProperty("findings").EnumerateArray());
        Assert.Equal(("STR011", 2, 1), (finding.GetProperty("code").GetString(), finding.GetProperty("line").GetInt32(), finding.GetProperty("column").GetInt32()));
        var sarif = await StrataCli.WithoutStore.RunAsync("lint", "--format", "sarif", _tempDir.Path);
        using var log = JsonDocument.Parse(sarif.Stdout);
        var result = Assert.Single(log.RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray());
        Assert.Equal("STR011", result.GetProperty("ruleId").GetString());
    }

    [Fact]
    public async Task Stdin_a_missing_file_and_a_bad_format_are_reported()
    {
        var stdin = await StrataCli.WithoutStore.RunAsync(["lint", "-"], new RunOptions { StdinText = "FROM alpine:3.18\nCMD echo hi\nUSER app\n" });
        Assert.Equal((0, "Dockerfile:2:1 JSONArgsRecommended JSON arguments recommended for CMD to prevent unintended behavior related to OS signals\n"), (stdin.ExitCode, stdin.Stdout));
        var missing = await StrataCli.WithoutStore.RunAsync("lint", Path.Combine(_tempDir.Path, "nope"));
        Assert.Equal(1, missing.ExitCode);
        Assert.Equal($"Error: Dockerfile not found: {Path.Combine(_tempDir.Path, "nope")}", missing.Stderr.TrimEnd());
        var format = await StrataCli.WithoutStore.RunAsync(["lint", "--format", "xml", "-"], new RunOptions { StdinText = "FROM a\n" });
        Assert.Equal((2, "Error: unknown format \"xml\": use text, json or sarif"), (format.ExitCode, format.Stderr.TrimEnd()));
    }

    [Fact]
    public async Task Build_check_only_checks_and_fails_on_a_warning_without_touching_the_store()
    {
        Write("FROM alpine:3.18\nRUN date > /t\nUSER app\n");
        var root = Path.Combine(_tempDir.Path, "store");
        var r = await StrataCli.WithoutStore.RunAsync("--root", root, "build", "--check", _tempDir.Path);
        Assert.Equal(1, r.ExitCode);
        Assert.StartsWith($"{Path.Combine(_tempDir.Path, "Dockerfile")}:2:5 STR005 date at build time", r.Stdout, StringComparison.Ordinal);
        Assert.Equal("Check complete, 0 error(s), 1 warning(s), 0 note(s) found.", r.Stderr.TrimEnd());
        Assert.False(Directory.Exists(root));
    }

    [Fact]
    public async Task Build_check_of_a_clean_Dockerfile_exits_0_and_builds_nothing()
    {
        Write("FROM alpine:3.18\nRUN apk add --no-cache curl\nUSER app\n");
        var root = Path.Combine(_tempDir.Path, "store");
        var r = await StrataCli.WithoutStore.RunAsync("--root", root, "build", "--check", _tempDir.Path);
        Assert.Equal((0, "", "Check complete, no warnings found."), (r.ExitCode, r.Stdout, r.Stderr.TrimEnd()));
        Assert.False(Directory.Exists(root));
    }
}
