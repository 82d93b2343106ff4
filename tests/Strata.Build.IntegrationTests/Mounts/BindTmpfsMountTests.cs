using Strata.Build.IntegrationTests.Fixtures;

namespace Strata.Build.IntegrationTests.Mounts;

/// <summary>RUN --mount=type=bind (context and stage, ro and rw) and type=tmpfs.</summary>
public sealed class BindTmpfsMountTests : IClassFixture<BaseStore>
{
    private readonly BaseStore _base;

    public BindTmpfsMountTests(BaseStore store) => _base = store;

    [Fact]
    public async Task Context_bind_is_read_only_and_a_changed_bound_file_reruns_the_step_saying_which()
    {
        var (strata, build) = await MountBuild.NewAsync(_base, "bind-context");
        build.Write("src/a.txt", "one\n");
        const string dockerfile = "FROM base:1\nRUN --mount=type=bind,source=src,target=/src sh -c 'cat /src/a.txt > /seen; if touch /src/new 2>/dev/null; then echo yes > /writable; fi'\n";

        (await build.BuildAsync(dockerfile, "b:1")).EnsureSuccess();
        var cached = (await build.BuildAsync(dockerfile, "b:2")).EnsureSuccess();
        build.Write("src/a.txt", "two\n");
        var changed = (await build.BuildAsync(dockerfile, "b:3")).EnsureSuccess();

        var first = await build.UnpackAsync("b:1");
        Assert.Equal("one\n", await File.ReadAllTextAsync(Path.Combine(first, "seen")));
        Assert.False(File.Exists(Path.Combine(first, "writable")), "a read-only bind mount was writable");
        Assert.False(Directory.Exists(Path.Combine(first, "src")), "the bind mount point reached the image");
        Assert.False(File.Exists(Path.Combine(build.Context, "src", "new")));
        Assert.Contains("#2 CACHED", cached.Stderr, StringComparison.Ordinal);
        Assert.Contains("#2 CACHE MISS: file changed: src/a.txt", changed.Stderr, StringComparison.Ordinal);
        Assert.Equal("two\n", await File.ReadAllTextAsync(Path.Combine(await build.UnpackAsync("b:3"), "seen")));
    }

    [Fact]
    public async Task Rw_bind_writes_are_discarded_and_dockerignored_files_are_not_in_the_mount()
    {
        var (strata, build) = await MountBuild.NewAsync(_base, "bind-rw");
        build.Write("a.txt", "original\n");
        build.Write("ignored.txt", "should not be seen\n");
        build.Write(".dockerignore", "ignored.txt\n");

        (await build.BuildAsync("FROM base:1\nWORKDIR /w\nRUN --mount=type=bind,target=ctx,rw sh -c 'echo changed > ctx/a.txt; cat ctx/a.txt > /seen; ls ctx > /listing'\n", "rw:1")).EnsureSuccess();

        var rootfs = await build.UnpackAsync("rw:1");
        Assert.Equal("changed\n", await File.ReadAllTextAsync(Path.Combine(rootfs, "seen")));
        Assert.Equal("original\n", await File.ReadAllTextAsync(Path.Combine(build.Context, "a.txt")));
        var listing = await File.ReadAllLinesAsync(Path.Combine(rootfs, "listing"));
        Assert.Contains("a.txt", listing);
        Assert.DoesNotContain("ignored.txt", listing);
        // The relative target is under WORKDIR /w, and its mount point is gone again.
        Assert.True(Directory.Exists(Path.Combine(rootfs, "w")));
        Assert.False(Directory.Exists(Path.Combine(rootfs, "w", "ctx")));
    }

    [Fact]
    public async Task Bind_from_a_stage_reads_its_files_and_a_source_cannot_climb_out_of_the_context()
    {
        var (strata, build) = await MountBuild.NewAsync(_base, "bind-stage");

        (await build.BuildAsync("FROM base:1 AS builder\nRUN mkdir /out && echo built > /out/app\nFROM base:1\nRUN --mount=type=bind,from=builder,source=/out,target=/in cat /in/app > /app\n", "st:1")).EnsureSuccess();
        Assert.Equal("built\n", await File.ReadAllTextAsync(Path.Combine(await build.UnpackAsync("st:1"), "app")));

        // ../.. is resolved inside the context (as BuildKit confines it): /etc/passwd is not found there.
        var escape = await build.BuildAsync("FROM base:1\nRUN --mount=type=bind,source=../../../../etc/passwd,target=/p cat /p\n", "esc:1");
        StrataExit.AssertFailed(escape.ExitCode, escape.ToString());
        var error = Assert.Single(escape.Stderr.Split('\n'), l => l.StartsWith("Error:", StringComparison.Ordinal));
        Assert.Contains("Dockerfile:2", error, StringComparison.Ordinal);
        Assert.Contains("mount source ../../../../etc/passwd not found in the build context", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tmpfs_mount_is_a_tmpfs_whose_files_stay_out_of_the_image()
    {
        var (strata, build) = await MountBuild.NewAsync(_base, "tmpfs");

        (await build.BuildAsync("FROM base:1\nRUN --mount=type=tmpfs,target=/scratch,size=1m sh -c 'echo x > /scratch/f && /bin/busybox grep \" /scratch tmpfs \" /proc/mounts > /mounted'\n", "tmp:1")).EnsureSuccess();

        var rootfs = await build.UnpackAsync("tmp:1");
        Assert.Contains("size=1024k", await File.ReadAllTextAsync(Path.Combine(rootfs, "mounted")), StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(rootfs, "scratch")));
    }
}
