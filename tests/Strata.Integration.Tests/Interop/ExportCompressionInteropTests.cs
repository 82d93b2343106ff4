using System.Text.Json.Nodes;
using Strata.Archive;
using Strata.Integration.Tests.Fixtures;

namespace Strata.Integration.Tests.Interop;

/// <summary>
/// Build layers are stored uncompressed and leave compressed as asked (<c>save --compression</c>):
/// skopeo and umoci read the store and each archive, <c>load</c> brings back the same image, a
/// second save reuses the remembered variant blob, and <c>system check</c> passes with both.
/// </summary>
public sealed class ExportCompressionInteropTests : IDisposable
{
    private const string IdAndLayers = "{{.Id}} {{json .RootFS.Layers}}";

    private readonly Workspace _ws = new(Workspace.ThreeYearsAgo);

    public void Dispose() => _ws.Dispose();

    /// <summary>busybox:1 (imported) and app:1 = busybox + one COPY layer; returns the COPY layer's stored descriptor.</summary>
    internal static async Task<JsonNode> BuildAppAsync(Workspace ws)
    {
        await ws.ImportBusyboxAsync("busybox:1", "-c", "CMD [\"sh\"]");
        string context = ws.Scratch.NewDir("context");
        await File.WriteAllTextAsync(Path.Combine(context, "hello.txt"), string.Concat(Enumerable.Repeat("hello from a layer stored uncompressed\n", 2000)));
        await File.WriteAllTextAsync(Path.Combine(context, "Dockerfile"), "FROM busybox:1\nCOPY hello.txt /hello.txt\n");
        await ws.Strata.OkAsync("build", "-q", "-t", "app:1", context);
        string manifestDigest = (await ws.InspectAsync("app:1"))["ManifestDigest"]!.GetValue<string>();
        var manifest = JsonNode.Parse(await File.ReadAllTextAsync(StoreFiles.BlobPath(ws.Strata.StoreRoot, manifestDigest)))!;
        return manifest["layers"]![1]!;
    }

    [Theory]
    [InlineData("gzip", "application/vnd.oci.image.layer.v1.tar+gzip")]
    [InlineData("zstd", "application/vnd.oci.image.layer.v1.tar+zstd")]
    [InlineData("uncompressed", "application/vnd.oci.image.layer.v1.tar")]
    public async Task A_built_image_saved_with_each_compression_reads_in_skopeo_and_umoci_and_loads_back_as_the_same_image(string compression, string mediaType)
    {
        var stored = await BuildAppAsync(_ws);
        string archive = _ws.Scratch.PathOf($"app-{compression}.tar");

        await _ws.Strata.OkAsync("save", "--compression", compression, "-o", archive, "app:1");

        Assert.Equal("application/vnd.oci.image.layer.v1.tar", stored["mediaType"]!.GetValue<string>());
        var raw = JsonNode.Parse(await Tools.OkAsync(Tools.Skopeo, "--insecure-policy", "inspect", "--raw", "oci-archive:" + archive))!;
        var layers = raw["layers"]!.AsArray();
        // The imported base layer is stored uncompressed too (issue 17): both leave as asked.
        Assert.Equal([mediaType, mediaType], layers.Select(l => l!["mediaType"]!.GetValue<string>()));
        Assert.Equal(compression == "uncompressed", layers[1]!["digest"]!.GetValue<string>() == stored["digest"]!.GetValue<string>());
        var rootfs = (await _ws.InspectAsync("app:1"))["RootFS"]!["Layers"]!.ToJsonString();
        var asDocker = JsonNode.Parse(await Tools.OkAsync(Tools.Skopeo, "--insecure-policy", "inspect", "docker-archive:" + archive))!;
        Assert.Equal(rootfs, asDocker["Layers"]!.ToJsonString());

        // umoci reads the store itself (uncompressed layers) and the archive's layout (copied out
        // by skopeo); Debian's umoci 0.4 refuses zstd layers ("blob is not correct mediatype"),
        // so the zstd archive is checked by skopeo's copy and by load below.
        string layout = _ws.Scratch.PathOf("layout");
        await Tools.OkAsync(Tools.Skopeo, "--insecure-policy", "copy", "-q", "oci-archive:" + archive, "oci:" + layout + ":app");
        string fromStore = _ws.Scratch.PathOf("bundle-store");
        await Tools.OkAsync(Tools.Umoci, "unpack", "--image", _ws.Strata.StoreRoot + ":app:1", fromStore);
        Assert.Equal(string.Concat(Enumerable.Repeat("hello from a layer stored uncompressed\n", 2000)), await File.ReadAllTextAsync(Path.Combine(fromStore, "rootfs", "hello.txt")));
        if (compression != "zstd")
        {
            string fromArchive = _ws.Scratch.PathOf("bundle-archive");
            await Tools.OkAsync(Tools.Umoci, "unpack", "--image", layout + ":app", fromArchive);
            Assert.Equal(TreeManifest.Capture(Path.Combine(fromStore, "rootfs")), TreeManifest.Capture(Path.Combine(fromArchive, "rootfs")));
        }

        var target = _ws.OtherStore("target");
        Assert.Equal("Loaded image: app:1\n", await target.OkAsync("load", "-i", archive));
        Assert.Equal(await _ws.Strata.OkAsync("inspect", "--format", IdAndLayers, "app:1"), await target.OkAsync("inspect", "--format", IdAndLayers, "app:1"));
        await _ws.AssertCheckPassesAsync();
    }

    [Fact]
    public async Task A_second_save_reuses_the_variant_blob_the_first_made_and_check_passes_with_both_forms_of_the_layer()
    {
        var stored = await BuildAppAsync(_ws);
        string first = _ws.Scratch.PathOf("first.tar");
        string second = _ws.Scratch.PathOf("second.tar");

        await _ws.Strata.OkAsync("save", "-o", first, "app:1");
        string variant = JsonNode.Parse(await Tools.OkAsync(Tools.Skopeo, "--insecure-policy", "inspect", "--raw", "oci-archive:" + first))!["layers"]![1]!["digest"]!.GetValue<string>();
        string variantPath = StoreFiles.BlobPath(_ws.Strata.StoreRoot, variant);
        string before = await Tools.OkAsync("/usr/bin/stat", "-c", "%i %Y %y", variantPath);
        await _ws.Strata.OkAsync("save", "-o", second, "app:1");

        // Same inode and modification time: the second save read the blob, it did not write it again.
        Assert.Equal(before, await Tools.OkAsync("/usr/bin/stat", "-c", "%i %Y %y", variantPath));
        Assert.Equal(StoreFiles.Sha256OfFile(first), StoreFiles.Sha256OfFile(second));
        Assert.True(File.Exists(StoreFiles.BlobPath(_ws.Strata.StoreRoot, stored["digest"]!.GetValue<string>())));
        Assert.NotEqual(stored["digest"]!.GetValue<string>(), variant);
        string check = await _ws.AssertCheckPassesAsync();
        Assert.DoesNotContain("referenced by no image", check, StringComparison.Ordinal);
    }
}
