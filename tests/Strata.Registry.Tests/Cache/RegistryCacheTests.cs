using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Strata.Registry.Tests.Fixtures;

namespace Strata.Registry.Tests.Cache;

/// <summary>
/// <c>build --cache-to/--cache-from type=registry</c> against the real registry: the cache is one
/// OCI image manifest (skopeo reads it as such), a fresh store rebuilds from it with every step
/// cached and no RUN started, and only the layers of the steps that hit are downloaded.
/// </summary>
[Collection(RegistryGroup.Name)]
public sealed partial class RegistryCacheTests(RegistryServer registry) : IDisposable
{
    private const string Steps = "FROM bb:1\nRUN echo one > /one\nENV A=1\nRUN echo two >> /one\nCOPY f /f\nRUN cat /one /f > /all\n";
    private const string MultiStage = "FROM bb:1 AS dep\nRUN echo dep > /dep\nFROM bb:1\nRUN echo main > /main\nCOPY --from=dep /dep /dep\n";
    private readonly TempDir _scratch = new("strata-registry-tests-");

    public void Dispose() => _scratch.Dispose();

    private string Context => _scratch.PathOf("context");

    /// <summary>
    /// A runtime that writes each call to a log outside every store and fails: a build given it
    /// starts it (for its version) at its first RUN, so a missing log proves no RUN was executed.
    /// </summary>
    private string RecordingRuntime => _scratch.PathOf("runtime.sh");

    private string RuntimeLog => _scratch.PathOf("runtime.log");

    private Task<ProcessResult> StrataAsync(string store, params string[] arguments) =>
        Tool.RunAsync(StrataCli.Binary, ["--root", _scratch.PathOf(store), .. arguments]);

    /// <summary>busybox imported into <c>store1</c> as bb:1 and saved, so every store loads the very same base image.</summary>
    private async Task BaseAsync(string dockerfile)
    {
        var rootfs = _scratch.PathOf("rootfs");
        new BusyboxRootfs { Applets = ["sh", "echo", "cat"], Files = [new("etc/passwd", "root:x:0:0:root:/root:/bin/sh\n")] }.Create(rootfs);
        (await StrataAsync("store1", "import", rootfs, "bb:1")).EnsureSuccess();
        (await StrataAsync("store1", "save", "bb:1", "-o", _scratch.PathOf("bb.tar"))).EnsureSuccess();
        Directory.CreateDirectory(Context);
        await File.WriteAllTextAsync(Path.Combine(Context, "Dockerfile"), dockerfile);
        await File.WriteAllTextAsync(Path.Combine(Context, "f"), "f\n");
        await File.WriteAllTextAsync(RecordingRuntime, $"#!/bin/sh\necho \"$*\" >> {RuntimeLog}\nexit 1\n");
        File.SetUnixFileMode(RecordingRuntime, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    /// <summary>A new, empty store holding only the base image.</summary>
    private async Task CleanStoreAsync(string store) => (await StrataAsync(store, "load", "-i", _scratch.PathOf("bb.tar"))).EnsureSuccess();

    private async Task<(string ImageId, string Stderr)> BuildAsync(string store, params string[] arguments)
    {
        var iid = _scratch.PathOf("iid");
        File.Delete(iid);
        var result = (await StrataAsync(store, ["build", "--progress=plain", "--iidfile", iid, .. arguments, Context])).EnsureSuccess();
        return (await File.ReadAllTextAsync(iid), result.Stderr);
    }

    /// <summary>Each step but FROM as "[stage i/n] INSTRUCTION: CACHED" or ": MISS reason", in order.</summary>
    private static List<string> StepsOf(string stderr)
    {
        var names = new SortedDictionary<int, string>();
        var outcome = new Dictionary<int, string>();
        foreach (Match m in StepLine().Matches(stderr))
        {
            int id = int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            var rest = m.Groups[2].Value.TrimEnd('\r');
            if (rest.StartsWith('[')) names.TryAdd(id, rest);
            else if (rest == "CACHED") outcome[id] = "CACHED";
            else if (rest.StartsWith("CACHE MISS: ", StringComparison.Ordinal)) outcome[id] = "MISS " + rest["CACHE MISS: ".Length..];
        }
        return [.. names.Where(n => !n.Value.Contains("] FROM ", StringComparison.Ordinal)).Select(n => $"{n.Value}: {outcome.GetValueOrDefault(n.Key, "?")}")];
    }

    private static List<string> LayersOf(JsonNode manifest) => [.. manifest["layers"]!.AsArray().Select(l => (string)l!["digest"]!)];

    private bool InStore(string store, string digest) => File.Exists(_scratch.PathOf(store, "blobs", "sha256", digest["sha256:".Length..]));

    [Fact]
    public async Task A_fresh_store_rebuilds_from_the_registry_cache_with_every_step_cached_no_RUN_and_the_same_image()
    {
        await BaseAsync(Steps);
        var cache = $"{registry.Host}/cache/full:main";
        var first = await BuildAsync("store1", "--cache-to", $"type=registry,ref={cache},mode=max");
        await CleanStoreAsync("store2");

        var rebuilt = await BuildAsync("store2", "--runtime", RecordingRuntime, "--cache-from", $"type=registry,ref={cache}");

        Assert.Equal(
            [
                "[2/5] RUN echo one > /one: CACHED",
                "[3/5] RUN echo two >> /one: CACHED",
                "[4/5] COPY f /f: CACHED",
                "[5/5] RUN cat /one /f > /all: CACHED",
            ], StepsOf(rebuilt.Stderr));
        Assert.False(File.Exists(RuntimeLog), "a RUN was executed: the runtime was started");
        Assert.Equal(first.ImageId, rebuilt.ImageId);
        // The image's layers are the cache's blobs, stored as they came.
        var (_, manifest) = await Skopeo.RawAsync(cache);
        Assert.All(LayersOf(manifest), l => Assert.True(InStore("store2", l), l));
    }

    [Fact]
    public async Task The_cache_export_uploads_its_layers_several_at_once()
    {
        await BaseAsync(Steps);
        using var proxy = new FaultProxy(registry.Host);
        // The first two layer uploads are held until both are in flight: one after another, the first waits in vain.
        var together = new GatherGroup(2);
        proxy.Add(new ProxyFault.Gather("/cache/parallel/blobs/uploads/", "POST", together));
        proxy.Add(new ProxyFault.Gather("/cache/parallel/blobs/uploads/", "POST", together));
        var cache = $"{proxy.Host}/cache/parallel:v1";

        await BuildAsync("store1", "--cache-to", $"type=registry,ref={cache},mode=max");

        var uploads = proxy.Log.Where(r => r.Method == "POST" && r.Path.EndsWith("/blobs/uploads/", StringComparison.Ordinal)).Select(r => r.Outcome).ToList();
        // Four layers and the cache's config, each uploaded once; the first two were in flight together.
        Assert.Equal(5, uploads.Count);
        Assert.Equal(2, uploads.Count(o => o == "202 gathered"));
        Assert.Equal(3, uploads.Count(o => o == "202"));
        var (_, manifest) = await Skopeo.RawAsync($"{registry.Host}/cache/parallel:v1");
        Assert.Equal(4, LayersOf(manifest).Count);
    }

    [Fact]
    public async Task The_cache_is_one_OCI_image_manifest_with_Strata_s_config_type_not_an_index()
    {
        await BaseAsync(Steps);
        var cache = $"{registry.Host}/cache/shape:v1";
        await BuildAsync("store1", "--cache-to", $"type=registry,ref={cache},mode=max,image-manifest=true,oci-mediatypes=true");

        var (digest, manifest) = await Skopeo.RawAsync(cache);

        Assert.Equal("application/vnd.oci.image.manifest.v1+json", (string?)manifest["mediaType"]);
        Assert.Null(manifest["manifests"]);
        Assert.Equal("application/vnd.strata.buildcache.v1", (string?)manifest["artifactType"]);
        Assert.Equal("application/vnd.strata.buildcache.config.v1+json", (string?)manifest["config"]!["mediaType"]);
        // Three RUNs and a COPY made layers (ENV made none), gzip-compressed as they leave the machine.
        Assert.Equal(4, LayersOf(manifest).Count);
        Assert.All(manifest["layers"]!.AsArray(), l => Assert.Equal("application/vnd.oci.image.layer.v1.tar+gzip", (string?)l!["mediaType"]));
        // The registry serves the manifest by digest with the config type it was given.
        var (byDigest, again) = await Skopeo.RawAsync($"{registry.Host}/cache/shape@{digest}");
        Assert.Equal(digest, byDigest);
        Assert.Equal("application/vnd.strata.buildcache.config.v1+json", (string?)again["config"]!["mediaType"]);
    }

    [Fact]
    public async Task Only_the_layers_of_the_steps_that_hit_are_downloaded()
    {
        await BaseAsync(Steps);
        var cache = $"{registry.Host}/cache/partial:main";
        await BuildAsync("store1", "--cache-to", $"type=registry,ref={cache},mode=max");
        var cached = LayersOf((await Skopeo.RawAsync(cache)).Document);
        await File.WriteAllTextAsync(Path.Combine(Context, "Dockerfile"), Steps.Replace("echo two", "echo TWO", StringComparison.Ordinal));
        await CleanStoreAsync("store2");

        var rebuilt = await BuildAsync("store2", "--cache-from", $"type=registry,ref={cache}");

        Assert.Equal(
            [
                "[2/5] RUN echo one > /one: CACHED",
                "[3/5] RUN echo TWO >> /one: MISS no previous build",
                "[4/5] COPY f /f: MISS no previous build",
                "[5/5] RUN cat /one /f > /all: MISS no previous build",
            ], StepsOf(rebuilt.Stderr));
        // The first RUN's layer came down; the three after the change were never fetched.
        Assert.Equal(new[] { true, false, false, false }, cached.Select(l => InStore("store2", l)));
        // And where it came from is remembered, for cross-repository mounts on a later push.
        Assert.Equal([$"{cached[0]} {registry.Host}/cache/partial"], await File.ReadAllLinesAsync(_scratch.PathOf("store2", "registry", "blob-sources")));
    }

    [Fact]
    public async Task Pushing_the_built_image_to_another_repository_mounts_the_layers_from_the_cache_repository()
    {
        await BaseAsync(Steps);
        var cache = $"{registry.Host}/cache/mounts:main";
        var app = $"{registry.Host}/app/mounted:1";
        var built = await BuildAsync("store1", "-t", app, "--cache-to", $"type=registry,ref={cache},mode=max");
        var cached = LayersOf((await Skopeo.RawAsync(cache)).Document);

        var push = (await StrataAsync("store1", "push", app)).EnsureSuccess();

        // The four step layers are the cache's blobs (the gzip variant made once): mounted, not sent again; the base is uploaded.
        var lines = push.Stdout.TrimEnd('\n').Split('\n')[1..^1];
        Assert.Equal(
            [.. cached.Select(d => $"{d[7..19]}: Mounted from cache/mounts").Order(StringComparer.Ordinal)],
            lines.Where(l => l.Contains("Mounted", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        Assert.Single(lines, l => l.EndsWith(": Pushed", StringComparison.Ordinal));
        var (_, manifest) = await Skopeo.RawAsync(app);
        Assert.Equal(built.ImageId, (string?)manifest["config"]!["digest"]);
    }

    [Fact]
    public async Task Mode_min_exports_only_the_final_stages_layers_and_mode_max_every_stage()
    {
        await BaseAsync(MultiStage);
        var min = $"{registry.Host}/cache/modes:min";
        var max = $"{registry.Host}/cache/modes:max";
        await BuildAsync("store1", "--cache-to", $"type=registry,ref={min}");
        await BuildAsync("store1", "--cache-to", $"type=registry,ref={max},mode=max");

        var minLayers = LayersOf((await Skopeo.RawAsync(min)).Document);
        var maxLayers = LayersOf((await Skopeo.RawAsync(max)).Document);

        // Final stage: RUN and COPY --from. The dep stage's RUN layer only in max.
        Assert.Equal(2, minLayers.Count);
        Assert.Equal(3, maxLayers.Count);
        Assert.Subset(maxLayers.ToHashSet(), minLayers.ToHashSet());
        var (depLayer, _) = await DepLayerAsync();
        Assert.Equal([depLayer], maxLayers.Except(minLayers));
    }

    /// <summary>The dep stage's RUN layer as the registry cache names it: pushed alone through a dep-only build's mode=min cache.</summary>
    private async Task<(string Digest, string Stderr)> DepLayerAsync()
    {
        var only = $"{registry.Host}/cache/modes:dep";
        var (_, stderr) = await BuildAsync("store1", "--target", "dep", "--cache-to", $"type=registry,ref={only}");
        return (Assert.Single(LayersOf((await Skopeo.RawAsync(only)).Document)), stderr);
    }

    [Fact]
    public async Task A_missing_cache_is_one_warning_and_a_normal_build_and_several_sources_mix()
    {
        await BaseAsync(Steps);
        var cache = $"{registry.Host}/cache/mixed:main";
        var local = _scratch.PathOf("local-cache");
        var first = await BuildAsync("store1", "--cache-to", $"type=registry,ref={cache},mode=max");
        await CleanStoreAsync("store2");
        var missing = $"{registry.Host}/cache/mixed:nothing";

        var cold = await BuildAsync("store2", "--cache-from", $"type=registry,ref={missing}", "--cache-to", $"type=local,dest={local}");

        Assert.Single(cold.Stderr.Split('\n'), l => l.Contains("WARNING", StringComparison.Ordinal));
        Assert.Contains($"WARNING: --cache-from {missing}: no cache there (MANIFEST_UNKNOWN: manifest unknown): building without it\n", cold.Stderr, StringComparison.Ordinal);
        Assert.All(StepsOf(cold.Stderr), s => Assert.EndsWith(": MISS no previous build", s, StringComparison.Ordinal));

        // A missing ref, a local cache and a registry one together. The local cache is imported
        // whole when the build starts, so its records are the store's own and win over the registry's.
        await CleanStoreAsync("store3");
        var mixed = await BuildAsync("store3", "--runtime", RecordingRuntime,
            "--cache-from", $"type=registry,ref={missing}", "--cache-from", $"type=local,src={local}", "--cache-from", $"type=registry,ref={cache}");
        Assert.All(StepsOf(mixed.Stderr), s => Assert.EndsWith(": CACHED", s, StringComparison.Ordinal));
        Assert.False(File.Exists(RuntimeLog), "a RUN was executed: the runtime was started");
        Assert.Equal(cold.ImageId, mixed.ImageId);
        Assert.NotEqual(first.ImageId, mixed.ImageId);
    }

    [Theory]
    [InlineData("--cache-from", "type=registry,ref=127.0.0.1:1/Bad:x", "Error: --cache-from \"type=registry,ref=127.0.0.1:1/Bad:x\": invalid reference format \"127.0.0.1:1/Bad:x\": repository name must be lowercase")]
    [InlineData("--cache-to", "type=registry", "Error: --cache-to \"type=registry\": type=registry needs ref=REPOSITORY[:TAG]")]
    [InlineData("--cache-to", "type=registry,ref=127.0.0.1:1/c@sha256:0000000000000000000000000000000000000000000000000000000000000000", "Error: --cache-to \"type=registry,ref=127.0.0.1:1/c@sha256:0000000000000000000000000000000000000000000000000000000000000000\": ref names a digest: a cache is pushed under a tag")]
    public async Task A_bad_ref_is_one_line_error_before_anything_is_built(string flag, string value, string error)
    {
        await BaseAsync(Steps);
        var result = await StrataAsync("store1", "build", "--progress=plain", flag, value, Context);
        Assert.Equal(2, result.ExitCode);
        Assert.Equal(error + "\n", result.Stderr);
    }

    [GeneratedRegex(@"(?m)^#(\d+) (.*)$")]
    private static partial Regex StepLine();
}
