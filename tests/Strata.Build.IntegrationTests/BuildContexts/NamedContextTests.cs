using Strata.Build.IntegrationTests.Fixtures;
using Strata.Build.IntegrationTests.Git;
using Strata.Build.IntegrationTests.Mounts;

namespace Strata.Build.IntegrationTests.BuildContexts;

/// <summary>
/// <c>--build-context NAME=VALUE</c> through the CLI with real runc builds (BuildKit 0.8 has no
/// named contexts, so these check contents and cache behaviour rather than compare).
/// </summary>
public sealed class NamedContextTests : IClassFixture<BaseStore>
{
    private readonly BaseStore _base;

    public NamedContextTests(BaseStore store) => _base = store;

    [Fact]
    public async Task Copy_from_a_directory_context_honours_its_dockerignore_owns_files_by_root_and_reruns_only_when_its_files_change()
    {
        var (_, build) = await MountBuild.NewAsync(_base, "named-copy");
        var extra = NewDirectory("named-copy-extra");
        await File.WriteAllTextAsync(Path.Combine(extra, "a.txt"), "one\n");
        await File.WriteAllTextAsync(Path.Combine(extra, "secret.txt"), "not for the image\n");
        await File.WriteAllTextAsync(Path.Combine(extra, ".dockerignore"), "secret.txt\n");
        Strata.Core.Unix.Libc.Lchown(Path.Combine(extra, "a.txt"), 1234, 4321);
        const string dockerfile = "FROM base:1\nCOPY --from=extra . /extra/\nRUN cat /extra/a.txt > /seen\n";
        string[] flags = ["--build-context", "extra=" + extra];

        (await build.BuildAsync(dockerfile, "nc:1", flags)).EnsureSuccess();
        var cached = (await build.BuildAsync(dockerfile, "nc:2", flags)).EnsureSuccess();
        await File.WriteAllTextAsync(Path.Combine(extra, "secret.txt"), "changed but ignored\n");
        var ignoredChange = (await build.BuildAsync(dockerfile, "nc:3", flags)).EnsureSuccess();
        await File.WriteAllTextAsync(Path.Combine(extra, "a.txt"), "two\n");
        var changed = (await build.BuildAsync(dockerfile, "nc:4", flags)).EnsureSuccess();

        var first = await build.UnpackAsync("nc:1");
        Assert.Equal("one\n", await File.ReadAllTextAsync(Path.Combine(first, "seen")));
        Assert.False(File.Exists(Path.Combine(first, "extra", "secret.txt")), "a file the context's .dockerignore names was copied");
        Assert.True(File.Exists(Path.Combine(first, "extra", ".dockerignore")));
        var owner = Strata.Core.Unix.Libc.Lstat(Path.Combine(first, "extra", "a.txt"));
        Assert.Equal("0:0", $"{owner.Uid}:{owner.Gid}");
        Assert.Contains("#2 CACHED", cached.Stderr, StringComparison.Ordinal);
        Assert.Contains("#3 CACHED", cached.Stderr, StringComparison.Ordinal);
        Assert.Contains("#2 CACHED", ignoredChange.Stderr, StringComparison.Ordinal);
        Assert.Contains("#2 CACHE MISS: file changed: a.txt", changed.Stderr, StringComparison.Ordinal);
        Assert.Equal("two\n", await File.ReadAllTextAsync(Path.Combine(await build.UnpackAsync("nc:4"), "seen")));
    }

    [Fact]
    public async Task A_directory_context_overrides_a_stage_of_its_name_whose_steps_never_run()
    {
        var (_, build) = await MountBuild.NewAsync(_base, "named-stage");
        var tools = NewDirectory("named-stage-tools");
        await File.WriteAllTextAsync(Path.Combine(tools, "marker"), "from-context\n");
        const string dockerfile = "FROM base:1 AS tools\nRUN echo from-stage > /marker\nFROM base:1\nCOPY --from=tools /marker /marker\n";

        var result = (await build.BuildAsync(dockerfile, "ov:1", ["--build-context", "tools=" + tools])).EnsureSuccess();

        Assert.Equal("from-context\n", await File.ReadAllTextAsync(Path.Combine(await build.UnpackAsync("ov:1"), "marker")));
        Assert.DoesNotContain("echo from-stage", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FROM_a_directory_context_is_its_files_as_a_root_filesystem_that_RUN_works_on_and_is_cached()
    {
        var (strata, build) = await MountBuild.NewAsync(_base, "named-from");
        var root = NewDirectory("named-from-root");
        await File.WriteAllTextAsync(Path.Combine(root, "hello"), "hello from a directory\n");
        const string dockerfile = "FROM rootdir\nCOPY --from=base:1 /bin/busybox /bin/busybox\nRUN [\"/bin/busybox\", \"sh\", \"-c\", \"/bin/busybox cat /hello > /seen\"]\n";
        string[] flags = ["--build-context", "rootdir=" + root];

        (await build.BuildAsync(dockerfile, "fr:1", flags)).EnsureSuccess();
        var again = (await build.BuildAsync(dockerfile, "fr:2", flags)).EnsureSuccess();
        await File.WriteAllTextAsync(Path.Combine(root, "hello"), "changed\n");
        var changed = (await build.BuildAsync(dockerfile, "fr:3", flags)).EnsureSuccess();

        var rootfs = await build.UnpackAsync("fr:1");
        Assert.Equal("hello from a directory\n", await File.ReadAllTextAsync(Path.Combine(rootfs, "seen")));
        Assert.Equal(["bin", "hello", "seen"], Directory.EnumerateFileSystemEntries(rootfs).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        using (var doc = System.Text.Json.JsonDocument.Parse((await strata.RunAsync("inspect", "fr:1")).EnsureSuccess().Stdout))
            Assert.Equal(3, doc.RootElement[0].GetProperty("RootFS").GetProperty("Layers").GetArrayLength());
        Assert.DoesNotContain("CACHE MISS", again.Stderr, StringComparison.Ordinal);
        Assert.Contains("CACHE MISS: file changed: hello", changed.Stderr, StringComparison.Ordinal);
        Assert.Contains("CACHE MISS: build context rootdir changed", changed.Stderr, StringComparison.Ordinal);
        Assert.Equal("changed\n", await File.ReadAllTextAsync(Path.Combine(await build.UnpackAsync("fr:3"), "seen")));
    }

    [Fact]
    public async Task RUN_mount_from_a_directory_context_binds_its_files()
    {
        var (_, build) = await MountBuild.NewAsync(_base, "named-mount");
        var src = NewDirectory("named-mount-src");
        await File.WriteAllTextAsync(Path.Combine(src, "input"), "mounted\n");

        (await build.BuildAsync("FROM base:1\nRUN --mount=type=bind,from=src,target=/in cat /in/input > /seen\n", "mt:1", ["--build-context", "src=" + src])).EnsureSuccess();

        var rootfs = await build.UnpackAsync("mt:1");
        Assert.Equal("mounted\n", await File.ReadAllTextAsync(Path.Combine(rootfs, "seen")));
        Assert.False(Directory.Exists(Path.Combine(rootfs, "in")));
    }

    [Fact]
    public async Task A_docker_image_context_replaces_the_image_or_stage_FROM_names_with_its_env_in_scope()
    {
        var (_, build) = await MountBuild.NewAsync(_base, "named-image");
        (await build.BuildAsync("FROM base:1\nENV FLAVOUR=alt\nRUN echo alt > /alt\n", "alt:1")).EnsureSuccess();

        (await build.BuildAsync("FROM nosuch\nRUN cat /alt > /seen && echo $FLAVOUR > /flavour\nCOPY --from=nosuch:latest /alt /copied\n", "img:1", ["--build-context", "nosuch=docker-image://alt:1"])).EnsureSuccess();

        // A stage the context overrides, used as another stage's base: the image's ENV, not the stage's.
        (await build.BuildAsync("FROM base:1 AS nosuch\nENV FLAVOUR=stage STAGE_ONLY=1\nFROM nosuch\nRUN echo \"$FLAVOUR\" > /flavour && echo \"${STAGE_ONLY:-unset}\" > /stage-only\n", "img:2", ["--build-context", "nosuch=docker-image://alt:1"])).EnsureSuccess();

        var rootfs = await build.UnpackAsync("img:1");
        Assert.Equal("alt\n", await File.ReadAllTextAsync(Path.Combine(rootfs, "seen")));
        Assert.Equal("alt\n", await File.ReadAllTextAsync(Path.Combine(rootfs, "flavour")));
        Assert.Equal("alt\n", await File.ReadAllTextAsync(Path.Combine(rootfs, "copied")));
        var overridden = await build.UnpackAsync("img:2");
        Assert.Equal("alt\n", await File.ReadAllTextAsync(Path.Combine(overridden, "flavour")));
        Assert.Equal("unset\n", await File.ReadAllTextAsync(Path.Combine(overridden, "stage-only")));
    }

    [Fact]
    public async Task An_oci_layout_context_by_tag_or_digest_is_the_layout_s_image_in_another_store()
    {
        var (_, source) = await MountBuild.NewAsync(_base, "named-layout-source");
        var archive = Path.Combine(_base.Root, "layout.tar");
        (await source.BuildAsync("FROM base:1\nRUN echo from-layout > /from-layout\n", "lay:v1", ["--output", "type=oci,dest=" + archive])).EnsureSuccess();
        var layout = NewDirectory("named-layout");
        await System.Formats.Tar.TarFile.ExtractToDirectoryAsync(archive, layout, overwriteFiles: false);
        using var index = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(layout, "index.json")));
        var digest = index.RootElement.GetProperty("manifests")[0].GetProperty("digest").GetString()!;
        var (strata, build) = await MountBuild.NewAsync(_base, "named-layout-target");
        const string dockerfile = "FROM lay\nRUN cat /from-layout > /seen\n";

        (await build.BuildAsync(dockerfile, "bytag:1", ["--build-context", $"lay=oci-layout://{layout}:v1"])).EnsureSuccess();
        var byDigest = (await build.BuildAsync(dockerfile, "bydigest:1", ["--build-context", $"lay=oci-layout://{layout}@{digest}"])).EnsureSuccess();
        var missing = await build.BuildAsync(dockerfile, "nope:1", ["--build-context", $"lay=oci-layout://{layout}:v9"]);

        Assert.Equal("from-layout\n", await File.ReadAllTextAsync(Path.Combine(await build.UnpackAsync("bytag:1"), "seen")));
        Assert.Contains("#2 CACHED", byDigest.Stderr, StringComparison.Ordinal);
        StrataExit.AssertFailed(missing.ExitCode, missing.ToString());
        Assert.Contains($"Error: --build-context \"lay=oci-layout://{layout}:v9\": the layout at {layout} has no image tagged v9", missing.Stderr, StringComparison.Ordinal);
        // The layout is only read: its files are as the export wrote them.
        Assert.Equal(digest, System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(layout, "index.json"))).RootElement.GetProperty("manifests")[0].GetProperty("digest").GetString());
        var check = await strata.RunAsync("system", "check");
        Assert.True(check.ExitCode == 0, check.Stdout + check.Stderr);
        Assert.Contains(" 0 faults", check.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_git_context_is_the_commit_s_tree_without_git_dir_or_dockerignore_and_keys_by_its_files()
    {
        var served = NewDirectory("named-git-served");
        var repo = await TestRepository.InitAsync(Path.Combine(served, "repo"));
        await repo.WriteAsync("a.txt", "one\n");
        await repo.WriteAsync(".dockerignore", "a.txt\n");
        await repo.WriteAsync("sub/s.txt", "sub\n");
        await repo.CommitAsync("one");
        await using var daemon = await GitDaemon.StartAsync(served);
        var url = daemon.Url("repo");
        var (_, build) = await MountBuild.NewAsync(_base, "named-git");
        const string dockerfile = "FROM base:1\nCOPY --from=src . /src/\nCOPY --from=sub . /sub/\n";
        string[] flags = ["--build-context", $"src={url}#main", "--build-context", $"sub={url}#main:sub"];

        (await build.BuildAsync(dockerfile, "git:1", flags)).EnsureSuccess();
        var again = (await build.BuildAsync(dockerfile, "git:2", flags)).EnsureSuccess();
        await repo.WriteAsync("a.txt", "two\n");
        await repo.CommitAsync("two");
        var moved = (await build.BuildAsync(dockerfile, "git:3", flags)).EnsureSuccess();
        var badRef = await build.BuildAsync(dockerfile, "git:4", ["--build-context", $"src={url}#no-such-branch"]);

        var rootfs = await build.UnpackAsync("git:1");
        Assert.Equal("one\n", await File.ReadAllTextAsync(Path.Combine(rootfs, "src", "a.txt")));
        Assert.False(Directory.Exists(Path.Combine(rootfs, "src", ".git")));
        Assert.Equal(["s.txt"], Directory.EnumerateFileSystemEntries(Path.Combine(rootfs, "sub")).Select(Path.GetFileName));
        Assert.Contains("#2 CACHED", again.Stderr, StringComparison.Ordinal);
        Assert.Contains("#3 CACHED", again.Stderr, StringComparison.Ordinal);
        Assert.Contains("#2 CACHE MISS: file changed: a.txt", moved.Stderr, StringComparison.Ordinal);
        Assert.Equal("two\n", await File.ReadAllTextAsync(Path.Combine(await build.UnpackAsync("git:3"), "src", "a.txt")));
        StrataExit.AssertFailed(badRef.ExitCode, badRef.ToString());
        var error = Assert.Single(badRef.Stderr.Split('\n'), l => l.StartsWith("Error:", StringComparison.Ordinal));
        Assert.StartsWith($"Error: --build-context \"src={url}#no-such-branch\": ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_contexts_are_one_error_line_naming_the_value()
    {
        var (_, build) = await MountBuild.NewAsync(_base, "named-errors");
        const string dockerfile = "FROM base:1\nCOPY --from=x / /x\n";
        var missingDir = Path.Combine(_base.Root, "no-such-dir");

        foreach (var (flag, message) in new[]
        {
            ("x", "--build-context \"x\": want NAME=VALUE"),
            ("x=" + missingDir, $"--build-context \"x={missingDir}\": directory {missingDir} not found"),
            ("x=https://example.org/src.tar.gz", "--build-context \"x=https://example.org/src.tar.gz\": https contexts are not supported"),
            ("x=oci-layout://" + missingDir, $"--build-context \"x=oci-layout://{missingDir}\": {missingDir} is not an OCI layout (no index.json)"),
            ("x=docker-image://missing:9", "--build-context \"x=docker-image://missing:9\": image missing:9 is not in the local store"),
        })
        {
            var result = await build.BuildAsync(dockerfile, "err:1", ["--build-context", flag]);
            StrataExit.AssertFailed(result.ExitCode, result.ToString());
            var error = Assert.Single(result.Stderr.Split('\n'), l => l.StartsWith("Error:", StringComparison.Ordinal));
            Assert.Contains(message, error, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
        }
    }

    private string NewDirectory(string name)
    {
        var dir = Path.Combine(_base.Root, name);
        Directory.CreateDirectory(dir);
        return dir;
    }
}
