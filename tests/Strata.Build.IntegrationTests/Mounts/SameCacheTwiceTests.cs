using Strata.Build.IntegrationTests.Fixtures;

namespace Strata.Build.IntegrationTests.Mounts;

/// <summary>
/// One RUN mounting the same cache (same id) at two targets: as BuildKit hands every mount of
/// one cache key in one exec the same ref, both targets are one directory under one lease, so
/// a locked cache never waits for its own step and a private one stays one instance. A hang
/// would fail the build's process timeout, not the whole run.
/// </summary>
public sealed class SameCacheTwiceTests : IClassFixture<BaseStore>
{
    private readonly BaseStore _base;

    public SameCacheTwiceTests(BaseStore store) => _base = store;

    [Theory]
    [InlineData("locked", "locked")]
    [InlineData("shared", "shared")]
    [InlineData("private", "private")]
    [InlineData("locked", "shared")]
    public async Task Two_mounts_of_one_cache_in_one_RUN_are_one_directory_and_the_build_finishes(string first, string second)
    {
        var name = $"twice-{first}-{second}";
        var (strata, build) = await MountBuild.NewAsync(_base, name);
        var dockerfile = "FROM base:1\n" +
            $"RUN --mount=type=cache,id=x,target=/a,sharing={first} --mount=type=cache,id=x,target=/b,sharing={second} " +
            "sh -c 'echo via-a > /a/f; cat /b/f > /seen; echo via-b > /b/g'\n";

        (await build.BuildAsync(dockerfile, "twice:1")).EnsureSuccess();

        // What the step wrote through /a, it read through /b.
        Assert.Equal("via-a\n", await File.ReadAllTextAsync(Path.Combine(await build.UnpackAsync("twice:1"), "seen")));
        var instance = Assert.Single(Directory.GetDirectories(Path.Combine(strata.StoreRoot, "cache", "mounts")));
        Assert.Equal("x", await File.ReadAllTextAsync(instance + ".id"));
        Assert.Equal("via-a\n", await File.ReadAllTextAsync(Path.Combine(instance, "f")));
        Assert.Equal("via-b\n", await File.ReadAllTextAsync(Path.Combine(instance, "g")));
        // The shared lease ended with the step: a later locked use of the cache gets it, with both files.
        (await build.BuildAsync("FROM base:1\nRUN --mount=type=cache,id=x,target=/c,sharing=locked cat /c/f /c/g > /both\n", "twice:2")).EnsureSuccess();
        Assert.Equal("via-a\nvia-b\n", await File.ReadAllTextAsync(Path.Combine(await build.UnpackAsync("twice:2"), "both")));
    }
}
