using Strata.Build.IntegrationTests.Fixtures;

namespace Strata.Build.IntegrationTests.Cli;

/// <summary><c>strata build --runtime</c>: the named OCI runtime runs RUN; an absent one fails at start, naming it.</summary>
public sealed class RuntimeFlagTests : IClassFixture<BaseStore>
{
    private readonly BaseStore _base;

    public RuntimeFlagTests(BaseStore store) => _base = store;

    [Fact]
    public async Task Named_runtime_runs_RUN_and_a_missing_one_is_named_in_one_error_line()
    {
        var strata = await _base.NewStoreAsync("runtime");
        var context = Path.Combine(_base.Root, "runtime-context");
        Directory.CreateDirectory(context);
        await File.WriteAllTextAsync(Path.Combine(context, "Dockerfile"), "FROM base:1\nRUN echo ran > /ran.txt\n");

        (await strata.RunAsync("build", "-q", "--runtime", "runc", "-t", "runtime:1", context)).EnsureSuccess();
        var absolute = await strata.RunAsync("build", "-q", "--runtime", "/usr/sbin/runc", "--no-cache", "-t", "runtime:2", context);
        absolute.EnsureSuccess();
        var missing = await strata.RunAsync("build", "--runtime", "no-such-runtime", "-t", "runtime:3", context);

        Assert.NotEqual(0, missing.ExitCode);
        var error = Assert.Single(missing.Stderr.Split('\n'), l => l.StartsWith("Error:", StringComparison.Ordinal));
        Assert.Contains("no-such-runtime", error, StringComparison.Ordinal);
        Assert.DoesNotContain("#1 ", missing.Stderr, StringComparison.Ordinal); // checked before the build starts
    }
}
