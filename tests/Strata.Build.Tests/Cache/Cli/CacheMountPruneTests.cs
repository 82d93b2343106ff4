using System.Text.RegularExpressions;

namespace Strata.Build.Tests.Cache.Cli;

/// <summary>
/// RUN --mount=type=cache instances as build cache (docker's exec.cachemount): builder prune
/// removes idle ones and never one a running <c>strata build</c> holds, system df counts their
/// bytes, --filter until and --keep-storage apply to them, and unfinished instance directories
/// are garbage for system check and prune.
/// </summary>
public sealed partial class CacheMountPruneTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private readonly CacheCli _cli = new();

    public void Dispose() => _cli.Dispose();

    private string Mounts => Path.Combine(_cli.Store, "cache", "mounts");

    /// <summary>The instance directory of cache id <paramref name="id"/>, when it exists.</summary>
    private string? Instance(string id) =>
        Directory.Exists(Mounts) ? Directory.GetDirectories(Mounts).FirstOrDefault(d => File.Exists(d + ".id") && File.ReadAllText(d + ".id") == id) : null;

    private async Task<string> Stdout(params string[] args)
    {
        var (exit, stdout, stderr) = await _cli.RunAsync(args);
        Assert.True(exit == 0, $"strata {string.Join(' ', args)} failed: {stderr}");
        return stdout;
    }

    [Fact]
    public async Task Builder_prune_removes_an_idle_cache_mount_and_keeps_one_a_running_build_holds()
    {
        await _cli.ImportBusyboxAsync("bb:1");
        _cli.Write("Dockerfile", "FROM bb:1\nRUN --mount=type=cache,id=idle,target=/c sh -c 'echo idle > /c/f'\n");
        await _cli.BuildAsync("-t", "idle:1");
        var idle = Instance("idle") ?? throw new InvalidOperationException("the idle build made no cache instance");
        // A second build, in its own context, holds a shared cache mount in a long RUN until the
        // test writes the release file into that cache.
        var busyContext = Path.Combine(_cli.Scratch, "busy-context");
        Directory.CreateDirectory(busyContext);
        await File.WriteAllTextAsync(Path.Combine(busyContext, "Dockerfile"),
            "FROM bb:1\nRUN --mount=type=cache,id=busy,target=/c sh -c 'echo busy > /c/f; touch /c/running; i=0; while [ ! -e /c/release ]; do /bin/busybox sleep 1; i=$((i+1)); [ $i -lt 120 ] || exit 7; done'\n");
        var busyBuild = _cli.RunAsync(["build", "--progress=plain", "-t", "busy:1", busyContext]);
        string busy;
        try
        {
            busy = await WaitForRunningAsync(busyBuild);

            var df = await Stdout("system", "df", "-v");
            // docker marks a build cache record in use with a trailing *.
            Assert.Matches(new Regex($@"(?m)^{Regex.Escape(Path.GetFileName(busy))}\*\s+exec\.cachemount\s"), df);
            Assert.Matches(new Regex($@"(?m)^{Regex.Escape(Path.GetFileName(idle))}\s+exec\.cachemount\s"), df);

            var pruned = await Stdout("builder", "prune", "-f");
            Assert.Contains(Path.GetFileName(idle), pruned, StringComparison.Ordinal);
            Assert.DoesNotContain(Path.GetFileName(busy), pruned, StringComparison.Ordinal);
            Assert.False(Directory.Exists(idle), "the idle cache mount is still there");
            Assert.False(File.Exists(idle + ".id"), "the idle cache mount's id file is still there");
            // --all removes every idle one, and still never a busy one.
            Assert.DoesNotContain(Path.GetFileName(busy), await Stdout("builder", "prune", "-af"), StringComparison.Ordinal);
            Assert.Equal("busy\n", await File.ReadAllTextAsync(Path.Combine(busy, "f")));
        }
        finally
        {
            if (Instance("busy") is { } held) await File.WriteAllTextAsync(Path.Combine(held, "release"), "");
        }
        var (exit, _, stderr) = await busyBuild;
        Assert.True(exit == 0, "the busy build failed:\n" + stderr);

        // Its build is over: now the instance is idle, and a default prune takes it.
        Assert.Contains(Path.GetFileName(busy), await Stdout("builder", "prune", "-f"), StringComparison.Ordinal);
        Assert.False(Directory.Exists(busy), "the released cache mount is still there");
    }

    [Fact]
    public async Task System_df_counts_cache_mount_bytes_and_until_and_keep_storage_apply_to_them()
    {
        await _cli.ImportBusyboxAsync("bb:1");
        _cli.Write("Dockerfile", "FROM bb:1\nRUN --mount=type=cache,id=blob,target=/c sh -c '/bin/busybox head -c 2000000 /dev/zero > /c/blob'\n");
        await _cli.BuildAsync("-t", "blob:1");
        var instance = Instance("blob") ?? throw new InvalidOperationException("the build made no cache instance");

        // The RUN's own layer is empty: the row's bytes are the mount's 2,000,000.
        var row = CacheRow().Match(await Stdout("system", "df"));
        Assert.True(row.Success, "no Build Cache row");
        Assert.Equal("2MB", row.Groups["size"].Value);
        Assert.Equal("2MB", row.Groups["reclaimable"].Value); // docker prints no percentage for Build Cache
        Assert.Matches(new Regex($@"(?m)^{Regex.Escape(Path.GetFileName(instance))}\s+exec\.cachemount\s+2MB\s"), await Stdout("system", "df", "-v"));

        // Within the budget, or used within the hour: kept.
        await Stdout("builder", "prune", "-f", "--keep-storage", "3MB");
        await Stdout("builder", "prune", "-f", "--filter", "until=1h");
        Assert.True(Directory.Exists(instance), "a cache mount within --keep-storage or used recently was pruned");
        // Over the budget: it goes first (it is the only cache holding bytes).
        File.SetLastWriteTimeUtc(instance + ".id", DateTime.UtcNow - TimeSpan.FromHours(2));
        var pruned = await Stdout("builder", "prune", "-f", "--filter", "until=1h");
        Assert.Contains(Path.GetFileName(instance), pruned, StringComparison.Ordinal);
        Assert.Contains("Total reclaimed space: 2MB", pruned, StringComparison.Ordinal);
        Assert.False(Directory.Exists(instance), "a cache mount unused for two hours survived until=1h");

        // The next use makes a fresh, empty instance (the RUN fails if the old blob is still there).
        _cli.Write("Dockerfile", "FROM bb:1\nRUN --mount=type=cache,id=blob,target=/c sh -c 'test ! -e /c/blob'\n");
        await _cli.BuildAsync("-t", "blob:2");
    }

    [Fact]
    public async Task System_df_counts_each_step_that_took_a_cache_mount_in_USAGE_and_a_pruned_one_starts_again()
    {
        await _cli.ImportBusyboxAsync("bb:1");
        foreach (var n in new[] { "1", "2", "3" })
        {
            _cli.Write("Dockerfile", $"FROM bb:1\nRUN --mount=type=cache,id=uses,target=/c sh -c 'echo {n} >> /c/f'\n");
            await _cli.BuildAsync("-t", "uses:" + n);
        }
        var instance = Path.GetFileName(Instance("uses") ?? throw new InvalidOperationException("the builds made no cache instance"));

        // CACHE ID, CACHE TYPE, SIZE (the three lines), CREATED, LAST USED, USAGE, SHARED: as docker's row.
        Assert.Matches(new Regex($@"(?m)^{Regex.Escape(instance)}\s+exec\.cachemount\s+6B\s+.+ ago\s+.+ ago\s+3\s+false$"), await Stdout("system", "df", "-v"));
        // Reading it is not a use.
        Assert.Matches(new Regex($@"(?m)^{Regex.Escape(instance)}\s+exec\.cachemount\s+6B\s+.+ ago\s+.+ ago\s+3\s+false$"), await Stdout("system", "df", "-v"));

        await Stdout("builder", "prune", "-af");
        _cli.Write("Dockerfile", "FROM bb:1\nRUN --mount=type=cache,id=uses,target=/c sh -c 'echo again >> /c/f'\n");
        await _cli.BuildAsync("-t", "uses:4");
        Assert.Matches(new Regex($@"(?m)^{Regex.Escape(instance)}\s+exec\.cachemount\s+6B\s+.+ ago\s+.+ ago\s+1\s+false$"), await Stdout("system", "df", "-v"));
    }

    [Fact]
    public async Task An_unfinished_cache_mount_directory_is_counted_by_system_check_and_removed_by_repair_and_prune()
    {
        await _cli.ImportBusyboxAsync("bb:1");
        var leftover = Path.Combine(Mounts, "gocache-0123456789abcdef.new-0123456789abcdef0123456789abcdef");
        Directory.CreateDirectory(leftover);
        await File.WriteAllTextAsync(Path.Combine(leftover, "half"), "half written");

        var check = await Stdout("system", "check");
        Assert.Contains($"unused: directory {leftover} is an unfinished cache mount", check, StringComparison.Ordinal);
        Assert.Contains("0 faults, 1 unused items", check, StringComparison.Ordinal);
        Assert.Contains($"repaired: removed {leftover}", await Stdout("system", "check", "--repair"), StringComparison.Ordinal);
        Assert.False(Directory.Exists(leftover));

        Directory.CreateDirectory(leftover);
        await Stdout("builder", "prune", "-f");
        Assert.False(Directory.Exists(leftover), "builder prune left an unfinished cache mount directory");
    }

    /// <summary>Waits until the busy build's step has created its instance and said it runs; fails if the build ends first.</summary>
    private async Task<string> WaitForRunningAsync(Task<ProcessResult> build)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            if (Instance("busy") is { } dir && File.Exists(Path.Combine(dir, "running"))) return dir;
            if (build.IsCompleted) Assert.Fail("the busy build ended before its step ran:\n" + (await build).Stderr);
            Assert.True(DateTime.UtcNow < deadline, $"the busy build's step did not start within {Patience}");
            await Task.Delay(100);
        }
    }

    [GeneratedRegex(@"(?m)^Build Cache\s+\d+\s+\d+\s+(?<size>\S+)\s+(?<reclaimable>\S+)[ \t]*$")]
    private static partial Regex CacheRow();
}
