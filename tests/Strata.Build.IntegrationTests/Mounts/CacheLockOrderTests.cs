using System.Diagnostics;
using Strata.Build.IntegrationTests.Fixtures;

namespace Strata.Build.IntegrationTests.Mounts;

/// <summary>
/// Two parallel stages lock caches x,y and y,x. Leases are taken in one global order (by
/// instance name), so they cannot each hold one cache and wait for the other. Taken in the order
/// written, the race below deadlocks about every other run: x's lock is held by another process
/// while both steps start, and whichever step gets x first decides. A deadlock would end in the
/// build's process timeout, not hang the run.
/// </summary>
public sealed class CacheLockOrderTests : IClassFixture<BaseStore>
{
    private readonly BaseStore _base;

    public CacheLockOrderTests(BaseStore store) => _base = store;

    [Fact]
    public async Task Parallel_steps_locking_two_caches_in_opposite_orders_both_finish()
    {
        var (strata, build) = await MountBuild.NewAsync(_base, "lock-order");
        (await build.BuildAsync("FROM base:1\nRUN --mount=type=cache,id=x,target=/x --mount=type=cache,id=y,target=/y true\n", "warm:1")).EnsureSuccess();
        var mounts = Path.Combine(strata.StoreRoot, "cache", "mounts");
        var x = Directory.GetFiles(mounts, "*.id").Single(f => File.ReadAllText(f) == "x")[..^".id".Length];

        const string dockerfile = """
            FROM base:1 AS one
            RUN --mount=type=cache,id=x,target=/x,sharing=locked --mount=type=cache,id=y,target=/y,sharing=locked sh -c 'echo one >> /x/log; echo one >> /y/log; echo one > /done'
            FROM base:1 AS two
            RUN --mount=type=cache,id=y,target=/y,sharing=locked --mount=type=cache,id=x,target=/x,sharing=locked sh -c 'echo two >> /x/log; echo two >> /y/log; echo two > /done'
            FROM base:1
            COPY --from=one /done /one
            COPY --from=two /done /two
            """;
        using var holder = Process.Start(new ProcessStartInfo("flock", ["-x", x + ".lock", "sleep", "600"]))!;
        try
        {
            await WaitUntilHeldAsync(x + ".lock");
            var running = build.BuildAsync(dockerfile, "order:1");
            // Both steps reach the caches while x is taken: each has opened x's lock file and waits.
            await LockWaiters.UntilAsync(() => LockWaiters.OpenCount(x + ".lock") == 2, "both steps waiting for cache x");
            holder.Kill(entireProcessTree: true);
            (await running).EnsureSuccess();
        }
        finally
        {
            if (!holder.HasExited) holder.Kill(entireProcessTree: true);
        }

        var rootfs = await build.UnpackAsync("order:1");
        Assert.Equal("one\n", await File.ReadAllTextAsync(Path.Combine(rootfs, "one")));
        Assert.Equal("two\n", await File.ReadAllTextAsync(Path.Combine(rootfs, "two")));
        foreach (var id in new[] { "x", "y" })
        {
            var log = await File.ReadAllLinesAsync(Path.Combine(mounts, Path.GetFileName(Directory.GetFiles(mounts, "*.id").Single(f => File.ReadAllText(f) == id))[..^".id".Length], "log"));
            Assert.Equal(["one", "two"], log.Order(StringComparer.Ordinal));
        }
    }

    private static async Task WaitUntilHeldAsync(string lockPath)
    {
        for (int i = 0; i < 500; i++)
        {
            using var probe = Process.Start(new ProcessStartInfo("flock", ["-n", lockPath, "true"]))!;
            await probe.WaitForExitAsync();
            if (probe.ExitCode != 0) return;
            await Task.Delay(20);
        }
        throw new TimeoutException($"flock(1) never took {lockPath}");
    }
}
