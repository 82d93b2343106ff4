using System.Diagnostics;
using System.Text.Json;
using Strata.Core;
using Strata.Oci.Tests.Schema;

namespace Strata.Build.Tests.Cache.Cli;

/// <summary>
/// <c>--cache-to type=local</c> and <c>--cache-from type=local</c> through the real CLI: a clean
/// store holding only the base image rebuilds from an exported cache without running a step.
/// </summary>
public sealed class CacheExportImportTests : IDisposable
{
    private const string MultiStage = "FROM bb:1 AS dep\nRUN echo dep > /dep\nFROM bb:1\nENV X=1\nCOPY a.txt /a.txt\nRUN echo RAN-MAIN > /main\nCOPY --from=dep /dep /dep\n";
    private readonly CacheCli _cli = new();

    public void Dispose() => _cli.Dispose();

    private string Dir(string name) => Path.Combine(_cli.Scratch, name);

    /// <summary>A new store holding the very same base image (loaded from a save, so its digest is the same).</summary>
    private async Task UseCleanStoreAsync(string name)
    {
        var tar = Dir("bb.tar");
        if (!File.Exists(tar)) await _cli.RunOkAsync("save", "bb:1", "-o", tar);
        _cli.StoreName = name;
        await _cli.RunOkAsync("load", "-i", tar);
    }

    [Fact]
    public async Task A_clean_store_that_imports_the_cache_runs_no_step_and_gives_the_same_image()
    {
        await _cli.ImportBusyboxAsync("bb:1");
        _cli.Write("Dockerfile", "FROM bb:1\nENV A=1\nRUN echo RAN-ONE > /one\nCOPY . /app/\nRUN echo RAN-TWO\n");
        var cache = Dir("cache");
        var first = await _cli.BuildAsync("--cache-to", $"type=local,dest={cache}");
        await UseCleanStoreAsync("clean");

        var imported = await _cli.BuildAsync("--cache-from", $"type=local,src={cache}");

        Assert.Equal(3, imported.Steps.Count);
        Assert.All(imported.Steps, s => Assert.EndsWith(": CACHED", s, StringComparison.Ordinal));
        // A step that runs prints its output as "#N 0.012 RAN-TWO"; none ran.
        Assert.DoesNotMatch(@"(?m)^#\d+ \d+\.\d{3} ", imported.Stderr);
        Assert.Equal(first.ImageId, imported.ImageId);
        // And the imported layers really unpack: the next build on top of them runs on the cached root.
        _cli.Write("Dockerfile", "FROM bb:1\nENV A=1\nRUN echo RAN-ONE > /one\nCOPY . /app/\nRUN echo RAN-TWO\nRUN cat /one\n");
        var extended = await _cli.BuildAsync();
        Assert.Matches(@"(?m)^#\d+ \d+\.\d{3} RAN-ONE$", extended.Stderr);
    }

    [Fact]
    public async Task A_store_whose_base_is_another_image_says_the_imported_cache_holds_builds_of_another_base()
    {
        await _cli.ImportBusyboxAsync("bb:1");
        var exportedBase = await ImageIdAsync("bb:1");
        _cli.Write("Dockerfile", "FROM bb:1\nRUN echo RAN-ONE > /one\nCOPY . /app/\n");
        var cache = Dir("cache");
        await _cli.BuildAsync("--cache-to", $"type=local,dest={cache}");
        // Another store whose bb:1 is another image (one more file): no key of the cache can match.
        _cli.StoreName = "other-base";
        await _cli.ImportBusyboxAsync("bb:1", extraFile: "other");
        var localBase = await ImageIdAsync("bb:1");
        Assert.NotEqual(exportedBase, localBase);

        var imported = await _cli.BuildAsync("--cache-from", $"type=local,src={cache}");

        // Named as `strata images` shows image IDs (their config digests), on every step that missed.
        var reason = $"the --cache-from cache holds builds of another base: bb:1 is {localBase[7..19]} here, {exportedBase[7..19]} in the cache";
        Assert.Equal([$"[2/3] RUN echo RAN-ONE > /one: MISS {reason}", $"[3/3] COPY . /app/: MISS {reason}"], imported.Steps);
        var (_, images, _) = await _cli.RunAsync(["images", "--format", "{{.ID}}", "bb:1"]);
        Assert.Equal(localBase[7..19] + "\n", images);

        // A store without a previous build and no cache of that base still says "no previous build".
        _cli.StoreName = "no-cache";
        await _cli.ImportBusyboxAsync("bb:1", extraFile: "other");
        Assert.Equal(["[2/3] RUN echo RAN-ONE > /one: MISS no previous build", "[3/3] COPY . /app/: MISS no previous build"], (await _cli.BuildAsync()).Steps);
    }

    /// <summary>The image ID (config digest) <paramref name="reference"/> names in the current store.</summary>
    private async Task<string> ImageIdAsync(string reference)
    {
        var (exit, stdout, stderr) = await _cli.RunAsync(["inspect", "--format", "{{.Id}}", reference]);
        Assert.True(exit == 0, stderr);
        return stdout.Trim();
    }

    [Fact]
    public async Task An_image_built_with_inline_cache_is_a_cache_source_in_another_store()
    {
        await _cli.ImportBusyboxAsync("bb:1");
        _cli.Write("a.txt", "a\n");
        _cli.Write("Dockerfile", MultiStage);
        var first = await _cli.BuildAsync("--cache-to", "type=inline", "-t", "app:1");
        var tar = Dir("app.tar");
        await _cli.RunOkAsync("save", "bb:1", "app:1", "-o", tar);
        _cli.StoreName = "clean";
        await _cli.RunOkAsync("load", "-i", tar);

        var rebuilt = await _cli.BuildAsync("--cache-from", "app:1", "--cache-to", "type=inline");

        // The final image's steps come from the image; the stage only copied from is not in it and runs.
        Assert.Equal([
            "[dep 2/2] RUN echo dep > /dep: MISS no previous build",
            "[stage-1 2/4] COPY a.txt /a.txt: CACHED",
            "[stage-1 3/4] RUN echo RAN-MAIN > /main: CACHED",
            "[stage-1 4/4] COPY --from=dep /dep /dep: CACHED"], rebuilt.Steps.Order(StringComparer.Ordinal));
        Assert.DoesNotMatch(@"(?m)^#\d+ \d+\.\d{3} RAN-MAIN", rebuilt.Stderr);
        Assert.Equal(first.ImageId, rebuilt.ImageId);
        var (_, inspect, _) = await _cli.RunAsync(["inspect", "--format", "{{json .Config.Labels}}", "app:1"]);
        Assert.Contains("dev.strata.cache.v0", inspect, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_export_is_a_valid_OCI_layout_that_skopeo_and_umoci_read()
    {
        await _cli.ImportBusyboxAsync("bb:1");
        _cli.Write("a.txt", "a\n");
        _cli.Write("Dockerfile", MultiStage);
        var cache = Dir("cache");
        await _cli.BuildAsync("--cache-to", $"type=local,dest={cache},mode=max");

        var indexBytes = await File.ReadAllBytesAsync(Path.Combine(cache, "index.json"));
        Assert.Empty(SpecValidation.Validate(MediaTypes.OciIndex, indexBytes));
        Assert.Empty(SpecValidation.Validate(MediaTypes.OciLayoutHeader, await File.ReadAllBytesAsync(Path.Combine(cache, "oci-layout"))));
        using var index = JsonDocument.Parse(indexBytes);
        var manifestDigest = Digest.Parse(index.RootElement.GetProperty("manifests")[0].GetProperty("digest").GetString()!);
        var manifestBytes = await File.ReadAllBytesAsync(Blob(cache, manifestDigest));
        Assert.Empty(SpecValidation.Validate(MediaTypes.OciManifest, manifestBytes));
        using var manifest = JsonDocument.Parse(manifestBytes);
        Assert.Equal("application/vnd.strata.buildcache.config.v1+json", manifest.RootElement.GetProperty("config").GetProperty("mediaType").GetString());
        foreach (var layer in manifest.RootElement.GetProperty("layers").EnumerateArray())
        {
            var digest = Digest.Parse(layer.GetProperty("digest").GetString()!);
            Assert.Equal(digest, Digest.Compute(await File.ReadAllBytesAsync(Blob(cache, digest))));
        }
        var (exit, stdout, stderr) = await Run("skopeo", "inspect", "--raw", $"oci:{cache}:strata-build-cache");
        Assert.True(exit == 0, stderr);
        Assert.Equal(manifestDigest, Digest.Compute(System.Text.Encoding.UTF8.GetBytes(stdout)));
        var (umociExit, tags, umociErr) = await Run("umoci", "ls", "--layout", cache);
        Assert.True(umociExit == 0, umociErr);
        Assert.Equal("strata-build-cache", tags.Trim());
    }

    [Fact]
    public async Task Mode_min_exports_only_the_final_stages_steps_and_mode_max_every_stage()
    {
        await _cli.ImportBusyboxAsync("bb:1");
        _cli.Write("a.txt", "a\n");
        _cli.Write("Dockerfile", MultiStage);
        var min = Dir("cache-min");
        var max = Dir("cache-max");
        var first = await _cli.BuildAsync("--cache-to", $"type=local,dest={min}");
        await _cli.BuildAsync("--cache-to", $"type=local,dest={max},mode=max");

        Assert.Equal(4, Records(min).Count);
        Assert.Equal(5, Records(max).Count);
        Assert.DoesNotContain(Records(min), r => r.Contains("echo dep", StringComparison.Ordinal));
        Assert.Contains(Records(max), r => r.Contains("echo dep", StringComparison.Ordinal));

        await UseCleanStoreAsync("from-min");
        var fromMin = await _cli.BuildAsync("--cache-from", $"type=local,src={min}");
        await UseCleanStoreAsync("from-max");
        var fromMax = await _cli.BuildAsync("--cache-from", $"type=local,src={max}");

        // Stages build concurrently: their lines interleave in any order.
        Assert.Equal([
            "[dep 2/2] RUN echo dep > /dep: MISS no previous build",
            "[stage-1 2/4] COPY a.txt /a.txt: CACHED",
            "[stage-1 3/4] RUN echo RAN-MAIN > /main: CACHED",
            "[stage-1 4/4] COPY --from=dep /dep /dep: CACHED"], fromMin.Steps.Order(StringComparer.Ordinal));
        Assert.All(fromMax.Steps, s => Assert.EndsWith(": CACHED", s, StringComparison.Ordinal));
        Assert.Equal(first.ImageId, fromMin.ImageId);
        Assert.Equal(first.ImageId, fromMax.ImageId);
    }

    [Fact]
    public async Task Cache_mounts_round_trip_and_never_overwrite_an_existing_directory()
    {
        await _cli.ImportBusyboxAsync("bb:1");
        _cli.Write("Dockerfile", "FROM bb:1\nRUN echo hi > /hi\n");
        // What RUN --mount=type=cache leaves: <store>/cache/mounts/<name>/ with the content inside.
        var mounts = Path.Combine(_cli.Store, "cache", "mounts");
        Directory.CreateDirectory(Path.Combine(mounts, "gocache", "sub"));
        await File.WriteAllTextAsync(Path.Combine(mounts, "gocache", "sub", "f.txt"), "compiled\n");
        File.CreateSymbolicLink(Path.Combine(mounts, "gocache", "sub", "link"), "f.txt");
        Directory.CreateDirectory(Path.Combine(mounts, "npm"));
        await File.WriteAllTextAsync(Path.Combine(mounts, "npm", "index"), "exported\n");
        var cache = Dir("cache");
        await _cli.BuildAsync("--cache-to", $"type=local,dest={cache},mounts=true");
        await UseCleanStoreAsync("clean");
        var target = Path.Combine(_cli.Store, "cache", "mounts");
        Directory.CreateDirectory(Path.Combine(target, "npm"));
        await File.WriteAllTextAsync(Path.Combine(target, "npm", "index"), "in use here\n");

        await _cli.BuildAsync("--cache-from", $"type=local,src={cache}");

        Assert.Equal("compiled\n", await File.ReadAllTextAsync(Path.Combine(target, "gocache", "sub", "f.txt")));
        Assert.Equal("f.txt", new FileInfo(Path.Combine(target, "gocache", "sub", "link")).LinkTarget);
        Assert.Equal("in use here\n", await File.ReadAllTextAsync(Path.Combine(target, "npm", "index")));
        Assert.Equal(["gocache", "npm"], Directory.EnumerateDirectories(target).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_real_RUN_cache_mount_travels_with_mounts_true_to_a_clean_store()
    {
        await _cli.ImportBusyboxAsync("bb:1");
        _cli.Write("Dockerfile", "FROM bb:1\nRUN --mount=type=cache,id=gocache,target=/c echo compiled-once > /c/out\n");
        var cache = Dir("cache");
        await _cli.BuildAsync("--cache-to", $"type=local,dest={cache},mounts=true");

        await UseCleanStoreAsync("clean");
        // A different step (so it runs) that only reads what the first store's step left in the mount.
        _cli.Write("Dockerfile", "FROM bb:1\nRUN --mount=type=cache,id=gocache,target=/c cat /c/out > /seen\n");
        var rootfs = Dir("rootfs");
        await _cli.BuildAsync("--cache-from", $"type=local,src={cache}", "--output", $"type=local,dest={rootfs}");

        Assert.Equal("compiled-once\n", await File.ReadAllTextAsync(Path.Combine(rootfs, "seen")));
        Assert.False(File.Exists(Path.Combine(rootfs, "c", "out"))); // the mount's content is in no layer
    }

    [Fact]
    public async Task Without_mounts_true_no_mount_is_exported()
    {
        await _cli.ImportBusyboxAsync("bb:1");
        _cli.Write("Dockerfile", "FROM bb:1\nRUN echo hi > /hi\n");
        Directory.CreateDirectory(Path.Combine(_cli.Store, "cache", "mounts", "gocache"));
        var cache = Dir("cache");
        await _cli.BuildAsync("--cache-to", $"type=local,dest={cache}");

        Assert.Equal(0, ConfigOf(cache).RootElement.GetProperty("mounts").GetArrayLength());
    }

    [Theory]
    [InlineData("--cache-to", "type=local", "--cache-to \"type=local\": type=local needs dest=DIR")]
    [InlineData("--cache-to", "type=local,dest=/tmp/x,mode=mid", "unknown mode \"mid\"")]
    [InlineData("--cache-to", "type=registry,ref=example.com/Cache", "--cache-to \"type=registry,ref=example.com/Cache\": invalid reference format \"example.com/Cache\": repository name must be lowercase")]
    [InlineData("--cache-to", "dest", "field \"dest\" is not key=value")]
    [InlineData("--cache-from", "type=registry", "--cache-from \"type=registry\": type=registry needs ref=REPOSITORY[:TAG]")]
    [InlineData("--cache-from", "bb:1", "--cache-from bb:1: the image carries no cache keys (label dev.strata.cache.v0); build it with --cache-to type=inline")]
    [InlineData("--cache-from", "nothere:1", "--cache-from nothere:1: no such image in the store")]
    public async Task A_bad_cache_spec_fails_with_one_line_naming_it(string flag, string value, string message)
    {
        await _cli.ImportBusyboxAsync("bb:1");
        _cli.Write("Dockerfile", "FROM bb:1\nRUN echo hi\n");

        var (exit, _, stderr) = await _cli.RunAsync(["build", "--progress=plain", flag, value, _cli.Context]);

        StrataExit.AssertFailed(exit, stderr);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Trim().Split('\n'));
    }

    [Fact]
    public async Task A_missing_cache_directory_fails_with_one_line_naming_it()
    {
        await _cli.ImportBusyboxAsync("bb:1");
        _cli.Write("Dockerfile", "FROM bb:1\nRUN echo hi\n");
        var missing = Dir("no-such-cache");

        var (exit, _, stderr) = await _cli.RunAsync(["build", "--progress=plain", "--cache-from", $"type=local,src={missing}", _cli.Context]);

        StrataExit.AssertFailed(exit, stderr);
        Assert.Equal($"Error: --cache-from: cache directory {missing} does not exist", stderr.Trim());
    }

    [Fact]
    public async Task No_cache_filter_reruns_only_the_named_stage()
    {
        await _cli.ImportBusyboxAsync("bb:1");
        _cli.Write("a.txt", "a\n");
        _cli.Write("Dockerfile", MultiStage);
        var first = await _cli.BuildAsync();

        var filtered = await _cli.BuildAsync("--no-cache-filter", "dep");

        // The stage rebuilt to the same files, so the copy of them stays cached.
        Assert.Equal([
            "[dep 2/2] RUN echo dep > /dep: MISS --no-cache-filter dep",
            "[stage-1 2/4] COPY a.txt /a.txt: CACHED",
            "[stage-1 3/4] RUN echo RAN-MAIN > /main: CACHED",
            "[stage-1 4/4] COPY --from=dep /dep /dep: CACHED"], filtered.Steps.Order(StringComparer.Ordinal));
        Assert.Equal(first.ImageId, filtered.ImageId);
    }

    [Fact]
    public async Task Pull_keys_the_base_by_its_current_digest()
    {
        await _cli.ImportBusyboxAsync("bb:1");
        _cli.Write("Dockerfile", "FROM bb:1\nRUN echo hi > /hi\n");
        await _cli.BuildAsync();
        // The name now points at another image: --pull resolves it again and the step misses.
        await _cli.ImportBusyboxAsync("bb:1", extraFile: "other");

        var pulled = await _cli.BuildAsync("--pull");

        Assert.Single(pulled.Steps);
        Assert.Equal("[2/2] RUN echo hi > /hi: MISS base image bb:1 changed digest", pulled.Steps[0]);
    }

    private static string Blob(string layout, Digest digest) => Path.Combine(layout, "blobs", digest.Algorithm, digest.Encoded);

    private static JsonDocument ConfigOf(string layout)
    {
        using var index = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(layout, "index.json")));
        var manifestDigest = Digest.Parse(index.RootElement.GetProperty("manifests")[0].GetProperty("digest").GetString()!);
        using var manifest = JsonDocument.Parse(File.ReadAllBytes(Blob(layout, manifestDigest)));
        return JsonDocument.Parse(File.ReadAllBytes(Blob(layout, Digest.Parse(manifest.RootElement.GetProperty("config").GetProperty("digest").GetString()!))));
    }

    /// <summary>The history text of every record in an exported cache.</summary>
    private static List<string> Records(string layout)
    {
        using var config = ConfigOf(layout);
        return [.. config.RootElement.GetProperty("records").EnumerateArray().Select(r => r.GetProperty("createdBy").GetString() ?? "")];
    }

    private static Task<ProcessResult> Run(string file, params string[] args) => ProcessRunner.RunAsync(file, args);
}
