using System.Text.Json;
using System.Text.Json.Nodes;
using Strata.Core;

namespace Strata.Build.Tests.Cache.Cli;

/// <summary>
/// Cache keys follow content (issue 17): a base image is keyed by its image ID (config digest),
/// which pins its layers' diff IDs, not by its manifest digest, which also says how the layers are
/// compressed. <c>import</c> stores its layer uncompressed; <c>save</c> writes it gzip, so the same
/// image loaded elsewhere has another manifest and must keep every key.
/// </summary>
public sealed class ContentKeyTests : IDisposable
{
    private const string Dockerfile = "FROM bb:1\nENV A=1\nRUN echo RAN-ONE > /one\nCOPY . /app/\nRUN echo RAN-TWO > /two\n";
    private readonly CacheCli _cli = new();

    public void Dispose() => _cli.Dispose();

    private string Dir(string name) => Path.Combine(_cli.Scratch, name);

    /// <summary>bb:1 imported into the first store (uncompressed), saved (gzip) and loaded into <paramref name="second"/>, which the CLI then uses.</summary>
    private async Task<(JsonNode First, JsonNode Second)> BaseInTwoStoresAsync(string second)
    {
        await _cli.ImportBusyboxAsync("bb:1");
        var first = await InspectAsync("bb:1");
        var tar = Dir("bb.tar");
        await _cli.RunOkAsync("save", "bb:1", "-o", tar);
        _cli.StoreName = second;
        await _cli.RunOkAsync("load", "-i", tar);
        return (first, await InspectAsync("bb:1"));
    }

    private async Task<JsonNode> InspectAsync(string image)
    {
        var (exit, stdout, stderr) = await _cli.RunAsync(["inspect", image]);
        Assert.True(exit == 0, stderr);
        return JsonNode.Parse(stdout)![0]!;
    }

    /// <summary>The media types of an image's stored layers, from its manifest blob in the store.</summary>
    private async Task<List<string>> StoredLayerTypesAsync(JsonNode inspect)
    {
        var digest = Digest.Parse(inspect["ManifestDigest"]!.GetValue<string>());
        var manifest = JsonNode.Parse(await File.ReadAllBytesAsync(Path.Combine(_cli.Store, "blobs", digest.Algorithm, digest.Encoded)))!;
        return [.. manifest["layers"]!.AsArray().Select(l => l!["mediaType"]!.GetValue<string>())];
    }

    [Fact]
    public async Task A_base_saved_as_gzip_and_loaded_into_another_store_hits_every_step_of_the_first_stores_cache()
    {
        await _cli.ImportBusyboxAsync("bb:1");
        _cli.Write("a.txt", "a\n");
        _cli.Write("Dockerfile", Dockerfile);
        var cache = Dir("cache");
        var built = await _cli.BuildAsync("--cache-to", $"type=local,dest={cache}");
        var first = await InspectAsync("bb:1");
        Assert.Equal(["application/vnd.oci.image.layer.v1.tar"], await StoredLayerTypesAsync(first));
        var tar = Dir("bb.tar");
        await _cli.RunOkAsync("save", "bb:1", "-o", tar);
        _cli.StoreName = "second";
        await _cli.RunOkAsync("load", "-i", tar);
        var second = await InspectAsync("bb:1");

        var rebuilt = await _cli.BuildAsync("--cache-from", $"type=local,src={cache}");

        // One image (one config, one image ID) under two manifests: its layer uncompressed in the
        // first store, gzip in the second.
        Assert.Equal(first["Id"]!.GetValue<string>(), second["Id"]!.GetValue<string>());
        Assert.NotEqual(first["ManifestDigest"]!.GetValue<string>(), second["ManifestDigest"]!.GetValue<string>());
        Assert.Equal(["application/vnd.oci.image.layer.v1.tar+gzip"], await StoredLayerTypesAsync(second));
        Assert.Equal([
            "[2/4] RUN echo RAN-ONE > /one: CACHED",
            "[3/4] COPY . /app/: CACHED",
            "[4/4] RUN echo RAN-TWO > /two: CACHED"], rebuilt.Steps);
        // A step that runs prints its output as "#N 0.012 RAN-ONE"; none ran.
        Assert.DoesNotMatch(@"(?m)^#\d+ \d+\.\d{3} RAN-", rebuilt.Stderr);
        Assert.Equal(built.ImageId, rebuilt.ImageId);
    }

    [Fact]
    public async Task The_same_config_under_an_uncompressed_and_a_gzip_manifest_gives_the_same_cache_keys()
    {
        _cli.Write("a.txt", "a\n");
        _cli.Write("Dockerfile", Dockerfile);
        var (first, second) = await BaseInTwoStoresAsync("second");
        Assert.NotEqual(first["ManifestDigest"]!.GetValue<string>(), second["ManifestDigest"]!.GetValue<string>());

        // Each store builds on its own (no cache shared); the inline label lists every step's key.
        _cli.StoreName = "store";
        await _cli.BuildAsync("--cache-to", "type=inline", "-t", "app:1");
        var inFirst = await KeysAsync("app:1");
        _cli.StoreName = "second";
        var ran = await _cli.BuildAsync("--cache-to", "type=inline", "-t", "app:1");
        var inSecond = await KeysAsync("app:1");

        Assert.All(ran.Steps, s => Assert.EndsWith(": MISS no previous build", s, StringComparison.Ordinal));
        Assert.Equal(4, inFirst.Count);
        Assert.Equal(inFirst, inSecond);
        // And the keys do follow the base's content: another base (one more file) keys every step anew.
        _cli.StoreName = "third";
        await _cli.ImportBusyboxAsync("bb:1", extraFile: "other");
        await _cli.BuildAsync("--cache-to", "type=inline", "-t", "app:1");
        Assert.Empty((await KeysAsync("app:1")).Intersect(inFirst));
    }

    [Fact]
    public async Task A_cache_exported_before_keys_followed_the_image_ID_is_passed_over_with_one_warning()
    {
        await _cli.ImportBusyboxAsync("bb:1");
        _cli.Write("a.txt", "a\n");
        _cli.Write("Dockerfile", Dockerfile);
        var cache = Dir("cache");
        await _cli.BuildAsync("--cache-to", $"type=local,dest={cache}");
        await RewriteVersionAsync(cache, 1);
        var tar = Dir("bb.tar");
        await _cli.RunOkAsync("save", "bb:1", "-o", tar);
        _cli.StoreName = "clean";
        await _cli.RunOkAsync("load", "-i", tar);
        int blobs = Directory.GetFiles(Path.Combine(_cli.Store, "blobs", "sha256")).Length;

        var rebuilt = await _cli.BuildAsync("--cache-from", $"type=local,src={cache}");

        Assert.Contains($"\n - CacheNotUsed: --cache-from {cache}: not used: written by an older strata (cache version 1, keys that named base images by manifest digest); export it again with --cache-to\n", rebuilt.Stderr, StringComparison.Ordinal);
        Assert.Equal([
            "[2/4] RUN echo RAN-ONE > /one: MISS no previous build",
            "[3/4] COPY . /app/: MISS no previous build",
            "[4/4] RUN echo RAN-TWO > /two: MISS no previous build"], rebuilt.Steps);
        // Nothing came from the passed-over cache: the new blobs are the three step layers, the config and the manifest.
        Assert.Equal(blobs + 5, Directory.GetFiles(Path.Combine(_cli.Store, "blobs", "sha256")).Length);
    }

    /// <summary>The step keys in the image's <c>dev.strata.cache.v0</c> label.</summary>
    private async Task<List<string>> KeysAsync(string image)
    {
        var labels = (await InspectAsync(image))["Config"]!["Labels"]!;
        using var entries = JsonDocument.Parse(labels["dev.strata.cache.v0"]!.GetValue<string>());
        return [.. entries.RootElement.EnumerateArray().Select(e => e.GetProperty("key").GetString()!)];
    }

    /// <summary>Rewrites an exported cache as another version would have written it: new config, manifest and index.json.</summary>
    private static async Task RewriteVersionAsync(string layout, int version)
    {
        string Blob(Digest d) => Path.Combine(layout, "blobs", d.Algorithm, d.Encoded);
        async Task<Digest> WriteAsync(byte[] bytes)
        {
            var digest = Digest.Compute(bytes);
            await File.WriteAllBytesAsync(Blob(digest), bytes);
            return digest;
        }
        var indexPath = Path.Combine(layout, "index.json");
        var index = JsonNode.Parse(await File.ReadAllBytesAsync(indexPath))!;
        var entry = index["manifests"]![0]!;
        var manifest = JsonNode.Parse(await File.ReadAllBytesAsync(Blob(Digest.Parse(entry["digest"]!.GetValue<string>()))))!;
        var config = JsonNode.Parse(await File.ReadAllBytesAsync(Blob(Digest.Parse(manifest["config"]!["digest"]!.GetValue<string>()))))!;
        Assert.Equal(2, config["version"]!.GetValue<int>());
        config["version"] = version;
        var configBytes = System.Text.Encoding.UTF8.GetBytes(config.ToJsonString());
        manifest["config"]!["digest"] = (await WriteAsync(configBytes)).ToString();
        manifest["config"]!["size"] = configBytes.Length;
        var manifestBytes = System.Text.Encoding.UTF8.GetBytes(manifest.ToJsonString());
        entry["digest"] = (await WriteAsync(manifestBytes)).ToString();
        entry["size"] = manifestBytes.Length;
        await File.WriteAllTextAsync(indexPath, index.ToJsonString());
    }
}
