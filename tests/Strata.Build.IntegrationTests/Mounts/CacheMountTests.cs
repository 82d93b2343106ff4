using Strata.Build.IntegrationTests.Fixtures;

namespace Strata.Build.IntegrationTests.Mounts;

/// <summary>
/// RUN --mount=type=cache: the directory outlives the build (outside every layer) and its
/// sharing modes hold between two real <c>strata build</c> processes on one store.
/// </summary>
public sealed class CacheMountTests : IClassFixture<BaseStore>
{
    private readonly BaseStore _base;

    public CacheMountTests(BaseStore store) => _base = store;

    [Fact]
    public async Task A_later_build_sees_what_an_earlier_one_left_in_the_cache_and_the_image_never_holds_it()
    {
        var (strata, build) = await MountBuild.NewAsync(_base, "cache-persist");

        (await build.BuildAsync("FROM base:1\nRUN --mount=type=cache,target=/var/cache/app echo first > /var/cache/app/seen\n", "c:1")).EnsureSuccess();
        // A changed step, so the RUN really runs again.
        (await build.BuildAsync("FROM base:1\nRUN --mount=type=cache,target=/var/cache/app cat /var/cache/app/seen > /copied && echo second >> /var/cache/app/seen\n", "c:2")).EnsureSuccess();

        var first = await build.UnpackAsync("c:1");
        var second = await build.UnpackAsync("c:2");
        Assert.Equal("first\n", await File.ReadAllTextAsync(Path.Combine(second, "copied")));
        foreach (var rootfs in new[] { first, second })
            Assert.False(Directory.Exists(Path.Combine(rootfs, "var")), "the cache mount's directory (or its content) reached the image");
        // One instance directory, its content directly inside, the id beside it.
        var mounts = Path.Combine(strata.StoreRoot, "cache", "mounts");
        var instance = Assert.Single(Directory.GetDirectories(mounts));
        Assert.Equal("first\nsecond\n", await File.ReadAllTextAsync(Path.Combine(instance, "seen")));
        Assert.Equal("/var/cache/app", await File.ReadAllTextAsync(instance + ".id"));
    }

    [Fact]
    public async Task Cache_ids_with_dot_dot_or_slashes_stay_single_directories_under_cache_mounts()
    {
        var (strata, build) = await MountBuild.NewAsync(_base, "cache-ids");

        (await build.BuildAsync("FROM base:1\nRUN --mount=type=cache,id=../../escaped,target=/a --mount=type=cache,id=x/../../y,target=/b sh -c 'echo a > /a/f; echo b > /b/f'\n", "ids:1")).EnsureSuccess();

        Assert.False(Directory.Exists(Path.Combine(strata.StoreRoot, "escaped")));
        Assert.False(Directory.Exists(Path.Combine(strata.StoreRoot, "cache", "escaped")));
        Assert.False(File.Exists(Path.Combine(strata.StoreRoot, "cache", "y")));
        var mounts = Path.Combine(strata.StoreRoot, "cache", "mounts");
        var dirs = Directory.GetDirectories(mounts).OrderBy(d => File.ReadAllText(d + ".id"), StringComparer.Ordinal).ToList();
        Assert.Equal(2, dirs.Count);
        Assert.Equal("a\n", await File.ReadAllTextAsync(Path.Combine(dirs[0], "f")));
        Assert.Equal("b\n", await File.ReadAllTextAsync(Path.Combine(dirs[1], "f")));
    }

    [Fact]
    public async Task A_cache_with_from_is_seeded_once_from_the_stage_and_a_changed_stage_gets_a_new_cache()
    {
        var (strata, build) = await MountBuild.NewAsync(_base, "cache-seed");
        static string Dockerfile(string seed, string step) =>
            $"FROM base:1 AS deps\nRUN mkdir -p /deps && echo {seed} > /deps/lib\n" +
            $"FROM base:1\nRUN --mount=type=cache,id=seeded,target=/c,from=deps,source=/deps sh -c 'cat /c/lib /c/extra > /{step} 2>/dev/null; echo kept > /c/extra; true'\n";

        (await build.BuildAsync(Dockerfile("v1", "first"), "seed:1")).EnsureSuccess();
        (await build.BuildAsync(Dockerfile("v1", "second"), "seed:2")).EnsureSuccess();
        (await build.BuildAsync(Dockerfile("v2", "third"), "seed:3")).EnsureSuccess();

        Assert.Equal("v1\n", await File.ReadAllTextAsync(Path.Combine(await build.UnpackAsync("seed:1"), "first")));
        // Same source: the same cache, with what the first build added.
        Assert.Equal("v1\nkept\n", await File.ReadAllTextAsync(Path.Combine(await build.UnpackAsync("seed:2"), "second")));
        // The stage changed: a fresh cache seeded from the new content.
        Assert.Equal("v2\n", await File.ReadAllTextAsync(Path.Combine(await build.UnpackAsync("seed:3"), "third")));
        // The seed is an input of the step: the same RUN line over a changed stage runs again.
        var reseeded = (await build.BuildAsync(Dockerfile("v3", "third"), "seed:4")).EnsureSuccess();
        Assert.Contains("CACHE MISS: file changed: deps:deps/lib", reseeded.Stderr, StringComparison.Ordinal);
        Assert.Equal("v3\n", await File.ReadAllTextAsync(Path.Combine(await build.UnpackAsync("seed:4"), "third")));
        Assert.Equal(3, Directory.GetDirectories(Path.Combine(strata.StoreRoot, "cache", "mounts")).Length);
    }

    [Fact]
    public async Task Locked_sharing_serialises_two_concurrent_build_processes()
    {
        var strata = await _base.NewStoreAsync("cache-locked");
        var one = new MountBuild(strata, Path.Combine(_base.Root, "cache-locked-1"));
        var two = new MountBuild(strata, Path.Combine(_base.Root, "cache-locked-2"));
        // A first use makes the cache; each gate is a fifo in it that the test writes when it lets that step finish.
        (await one.BuildAsync("FROM base:1\nRUN --mount=type=cache,id=lk,target=/c,sharing=locked mkfifo /c/gate-a /c/gate-b\n", "lk:make")).EnsureSuccess();
        var mounts = Path.Combine(strata.StoreRoot, "cache", "mounts");
        var cache = Directory.GetFiles(mounts, "*.id").Single(f => File.ReadAllText(f) == "lk")[..^".id".Length];
        var log = Path.Combine(cache, "log");
        const string dockerfile = "FROM base:1\nARG X\nRUN --mount=type=cache,id=lk,target=/c,sharing=locked sh -c 'echo start-$X >> /c/log; cat /c/gate-$X; echo end-$X >> /c/log'\n";

        var runs = Task.WhenAll(
            one.BuildAsync(dockerfile, "lk:a", ["--build-arg", "X=a"]),
            two.BuildAsync(dockerfile, "lk:b", ["--build-arg", "X=b"]));
        string[] Lines() => File.Exists(log) ? File.ReadAllLines(log) : [];
        await LockWaiters.UntilAsync(() => Lines().Length == 1, "the first step in the cache");
        var first = Lines()[0]["start-".Length..];
        var second = first == "a" ? "b" : "a";
        // The first step holds the cache (blocked on its gate); the other build has the lock file open: it waits.
        await LockWaiters.UntilAsync(() => LockWaiters.OpenCount(cache + ".lock") == 2, "the second build waiting for the cache's lock");
        Assert.Equal(["start-" + first], Lines());
        await OpenGateAsync(Path.Combine(cache, "gate-" + first));
        await LockWaiters.UntilAsync(() => Lines().Length == 3, "the second step in the cache");
        await OpenGateAsync(Path.Combine(cache, "gate-" + second));
        foreach (var r in await runs.WaitAsync(TimeSpan.FromMinutes(5))) r.EnsureSuccess();

        Assert.Equal(["start-" + first, "end-" + first, "start-" + second, "end-" + second], Lines());
    }

    /// <summary>Lets the step blocked reading <paramref name="fifo"/> go on (open for writing waits for its reader).</summary>
    private static Task OpenGateAsync(string fifo) =>
        Task.Run(() => File.WriteAllText(fifo, "go\n")).WaitAsync(TimeSpan.FromMinutes(2));

    [Fact]
    public async Task Private_sharing_gives_two_concurrent_build_processes_separate_directories()
    {
        var strata = await _base.NewStoreAsync("cache-private");
        var one = new MountBuild(strata, Path.Combine(_base.Root, "cache-private-1"));
        var two = new MountBuild(strata, Path.Combine(_base.Root, "cache-private-2"));
        // Each step writes its name into the private cache, then waits (through a shared cache
        // used as a meeting point) until the other step runs too, then reads the private cache
        // back: with one shared directory one of them would read the other's name.
        const string dockerfile = "FROM base:1\nARG X\nARG O\n" +
            "RUN --mount=type=cache,id=pv,target=/c,sharing=private --mount=type=cache,id=meet,target=/meet " +
            "sh -c 'echo $X > /c/mine; touch /meet/ready-$X; i=0; while [ ! -e /meet/ready-$O ]; do sleep 1; i=$((i+1)); [ $i -lt 120 ] || exit 7; done; sleep 1; cat /c/mine > /mine'\n";

        var runs = await Task.WhenAll(
            one.BuildAsync(dockerfile, "pv:a", ["--build-arg", "X=a", "--build-arg", "O=b"]),
            two.BuildAsync(dockerfile, "pv:b", ["--build-arg", "X=b", "--build-arg", "O=a"]));
        foreach (var r in runs) r.EnsureSuccess();

        Assert.Equal("a\n", await File.ReadAllTextAsync(Path.Combine(await one.UnpackAsync("pv:a"), "mine")));
        Assert.Equal("b\n", await File.ReadAllTextAsync(Path.Combine(await two.UnpackAsync("pv:b"), "mine")));
        var instances = Directory.GetDirectories(Path.Combine(strata.StoreRoot, "cache", "mounts"))
            .Where(d => Path.GetFileName(d).StartsWith("pv-", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, instances.Count);
    }
}
