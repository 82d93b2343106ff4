using Strata.Build.IntegrationTests.Fixtures;

namespace Strata.Build.IntegrationTests.Errors;

/// <summary>
/// A failing build ends with exactly one <c>Error:</c> line on stderr naming the Dockerfile line
/// and what failed, a non-zero exit that is not 125 (docker's "the CLI itself failed"), and a
/// store that <c>system check</c> still finds consistent.
/// </summary>
public sealed class BuildErrorTests : IClassFixture<BaseStore>
{
    private readonly BaseStore _base;

    public BuildErrorTests(BaseStore store) => _base = store;

    [Theory]
    [InlineData("failing-run", "RUN sh -c 'echo boom; exit 3'", "exit code 3")]
    [InlineData("missing-source", "COPY missing.txt /dest/", "missing.txt")]
    [InlineData("bad-chown", "COPY --chown=nosuchuser a.txt /a.txt", "nosuchuser")]
    [InlineData("unknown-stage", "COPY --from=nosuchstage /x /x", "nosuchstage")]
    public async Task Failed_step_gives_one_error_line_naming_the_Dockerfile_line(string name, string instruction, string named)
    {
        var strata = await _base.NewStoreAsync("store-" + name);
        var context = Path.Combine(_base.Root, "context-" + name);
        Directory.CreateDirectory(context);
        await File.WriteAllTextAsync(Path.Combine(context, "a.txt"), "a\n");
        await File.WriteAllTextAsync(Path.Combine(context, "Dockerfile"), "FROM base:1\nRUN echo ok > /ok.txt\n" + instruction + "\nRUN echo never\n");

        var result = await strata.RunAsync("build", "--progress", "plain", "-t", "broken:1", context);

        StrataExit.AssertFailed(result.ExitCode, result.ToString());
        var errors = result.Stderr.Split('\n').Where(l => l.StartsWith("Error:", StringComparison.Ordinal)).ToList();
        var error = Assert.Single(errors);
        Assert.Contains("Dockerfile:3", error, StringComparison.Ordinal);
        Assert.Contains(named, error, StringComparison.Ordinal);
        Assert.DoesNotContain("COPY: COPY", error, StringComparison.Ordinal); // the instruction is named once
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("never", result.Stderr, StringComparison.Ordinal);

        var check = await strata.RunAsync("system", "check");
        Assert.True(check.ExitCode == 0, check.Stdout + check.Stderr);
        Assert.Contains(" 0 faults", check.Stdout, StringComparison.Ordinal);
        StrataExit.AssertFailed((await strata.RunAsync("inspect", "broken:1")).ExitCode, "(await strata.RunAsync(\"inspect\", \"broken:1\"))"); // no image was tagged
    }
}
