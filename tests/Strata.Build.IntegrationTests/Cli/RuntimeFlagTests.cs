using System.Text.RegularExpressions;
using Strata.Build.IntegrationTests.Fixtures;

namespace Strata.Build.IntegrationTests.Cli;

/// <summary><c>strata build --runtime</c>: the named OCI runtime runs RUN; an absent one fails at start, naming it.</summary>
public sealed partial class RuntimeFlagTests : IClassFixture<BaseStore>
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

        // Not the default runtime: a wrapper that logs each call and hands it to runc, so the calls
        // in its log prove the named runtime ran RUN (naming "runc" would prove nothing).
        var bin = Path.Combine(_base.Root, "runtime-bin");
        Directory.CreateDirectory(bin);
        var log = Path.Combine(_base.Root, "runtime-calls.log");
        var wrapper = Path.Combine(bin, "logging-runc");
        await File.WriteAllTextAsync(wrapper, $"#!/bin/sh\necho \"$*\" >> '{log}'\nexec /usr/sbin/runc \"$@\"\n");
        File.SetUnixFileMode(wrapper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        // A bare name is looked up in the runtime directories (/usr/sbin...), not PATH: runc by name works.
        (await strata.RunAsync("build", "-q", "--runtime", "runc", "-t", "runtime:1", context)).EnsureSuccess();
        (await strata.RunAsync("build", "-q", "--runtime", wrapper, "--no-cache", "-t", "runtime:2", context)).EnsureSuccess();
        var calls = await File.ReadAllLinesAsync(log);
        Assert.Equal("--version", calls[0]);
        Assert.Single(calls, c => RunCall().IsMatch(c));
        var missing = await strata.RunAsync("build", "--runtime", "no-such-runtime", "-t", "runtime:3", context);

        StrataExit.AssertFailed(StrataExit.Failure, missing.ExitCode, missing.ToString());
        var error = Assert.Single(missing.Stderr.Split('\n'), l => l.StartsWith("Error:", StringComparison.Ordinal));
        Assert.Contains("no-such-runtime", error, StringComparison.Ordinal);
        Assert.DoesNotContain("#1 ", missing.Stderr, StringComparison.Ordinal); // checked before the build starts
    }

    /// <summary>runc's own words for running a container: <c>--root STATE --log LOG --log-format json run --bundle B ID</c>.</summary>
    [GeneratedRegex(@"^--root \S+ --log \S+ --log-format json run --bundle \S+( --pid-file \S+)? \S+$")]
    private static partial Regex RunCall();
}
