using Strata.Build.IntegrationTests.Fixtures;
using Strata.Build.IntegrationTests.Mounts;

namespace Strata.Build.IntegrationTests.Cli;

/// <summary>
/// --add-host, --shm-size and --ulimit are part of a RUN's cache key (as in BuildKit's ExecOp),
/// say so when they change, and the hosts entries never reach a layer. What RUN sees is
/// compared with BuildKit in the run-add-host case and checked in run-shm-ulimit.
/// </summary>
public sealed class RunOptionFlagTests : IClassFixture<BaseStore>
{
    private readonly BaseStore _base;

    public RunOptionFlagTests(BaseStore store) => _base = store;

    [Fact]
    public async Task Add_host_keys_the_RUN_step_and_stays_out_of_the_image()
    {
        var (_, build) = await MountBuild.NewAsync(_base, "add-host");
        const string dockerfile = "FROM base:1\nRUN cat /etc/hosts > /seen-hosts\nCOPY Dockerfile /copied\n";

        (await build.BuildAsync(dockerfile, "h:1", ["--add-host", "db:10.0.0.5"])).EnsureSuccess();
        var same = (await build.BuildAsync(dockerfile, "h:2", ["--add-host", "db:10.0.0.5"])).EnsureSuccess();
        var other = (await build.BuildAsync(dockerfile, "h:3", ["--add-host", "db:10.0.0.6"])).EnsureSuccess();
        var none = (await build.BuildAsync(dockerfile, "h:4")).EnsureSuccess();

        var rootfs = await build.UnpackAsync("h:1");
        Assert.EndsWith("10.0.0.5\tdb\n", await File.ReadAllTextAsync(Path.Combine(rootfs, "seen-hosts")), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(rootfs, "etc", "hosts")) && File.ReadAllText(Path.Combine(rootfs, "etc", "hosts")).Contains("10.0.0.5", StringComparison.Ordinal),
            "the --add-host entry reached the image's /etc/hosts");
        Assert.Contains("#2 CACHED", same.Stderr, StringComparison.Ordinal);
        Assert.Contains("#2 CACHE MISS: RUN options changed: --add-host db:10.0.0.5 -> --add-host db:10.0.0.6", other.Stderr, StringComparison.Ordinal);
        Assert.Contains("#2 CACHE MISS: RUN options changed: --add-host db:10.0.0.6 -> (none)", none.Stderr, StringComparison.Ordinal);
        // Only RUN reads the options: the COPY after it misses because its parent did, not for its own inputs.
        Assert.Contains("#3 CACHE MISS: parent step [2/3] rebuilt", other.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Shm_size_and_ulimit_key_the_RUN_step()
    {
        var (_, build) = await MountBuild.NewAsync(_base, "shm-ulimit");
        const string dockerfile = "FROM base:1\nRUN ulimit -n > /nofile\n";

        (await build.BuildAsync(dockerfile, "u:1", ["--ulimit", "nofile=1024:2048", "--shm-size", "100m"])).EnsureSuccess();
        var same = (await build.BuildAsync(dockerfile, "u:2", ["--ulimit", "nofile=1024:2048", "--shm-size", "100m"])).EnsureSuccess();
        var changed = (await build.BuildAsync(dockerfile, "u:3", ["--ulimit", "nofile=512:2048", "--shm-size", "100m"])).EnsureSuccess();

        Assert.Contains("#2 CACHED", same.Stderr, StringComparison.Ordinal);
        Assert.Contains("#2 CACHE MISS: RUN options changed: --shm-size 104857600 --ulimit nofile=1024:2048 -> --shm-size 104857600 --ulimit nofile=512:2048", changed.Stderr, StringComparison.Ordinal);
        Assert.Equal("512\n", await File.ReadAllTextAsync(Path.Combine(await build.UnpackAsync("u:3"), "nofile")));
    }

    [Fact]
    public async Task Bad_run_option_values_are_one_error_line_naming_the_value()
    {
        var (_, build) = await MountBuild.NewAsync(_base, "run-option-errors");
        foreach (var (flags, message) in new (string[], string)[]
        {
            (["--add-host", "gw:gateway"], "--add-host \"gw:gateway\": invalid IP address \"gateway\""),
            (["--add-host", "db"], "--add-host \"db\": want HOST:IP"),
            (["--shm-size", "lots"], "--shm-size \"lots\": want a positive size"),
            (["--ulimit", "nofile=9:1"], "--ulimit \"nofile=9:1\": soft limit 9 is above hard limit 1"),
        })
        {
            var result = await build.BuildAsync("FROM base:1\nRUN true\n", "bad:1", flags);
            StrataExit.AssertFailed(result.ExitCode, result.ToString());
            var error = Assert.Single(result.Stderr.Split('\n'), l => l.StartsWith("Error:", StringComparison.Ordinal));
            Assert.Contains(message, error, StringComparison.Ordinal);
        }
    }
}
