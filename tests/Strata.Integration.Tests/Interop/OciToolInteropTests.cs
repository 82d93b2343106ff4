using System.Text.Json.Nodes;
using Strata.Archive;
using Strata.Integration.Tests.Fixtures;

namespace Strata.Integration.Tests.Interop;

/// <summary>
/// skopeo and umoci, the reference readers of docker-archive, oci-archive and OCI layouts,
/// accept what strata writes (its archives and its store, which is an OCI layout), and what
/// they write loads back into strata as the same image.
/// </summary>
public sealed class OciToolInteropTests : IDisposable
{
    private readonly Workspace _ws = new(Workspace.ThreeYearsAgo);

    [Fact]
    public async Task Skopeo_reads_a_strata_archive_both_as_a_docker_archive_and_as_an_oci_archive()
    {
        await _ws.ImportBusyboxAsync("busybox:1", "-c", "CMD [\"sh\"]");
        var inspect = await _ws.InspectAsync("busybox:1");
        string manifestDigest = inspect["ManifestDigest"]!.GetValue<string>();
        string diffId = inspect["RootFS"]!["Layers"]![0]!.GetValue<string>();
        string layer = Assert.Single(StoreFiles.LayerDigests(_ws.Strata.StoreRoot, manifestDigest));
        string archive = _ws.Scratch.PathOf("busybox.tar");
        await _ws.Strata.OkAsync("save", "-o", archive, "busybox:1");

        var asDocker = JsonNode.Parse(await Tools.OkAsync(Tools.Skopeo, "--insecure-policy", "inspect", "docker-archive:" + archive))!;
        var asOci = JsonNode.Parse(await Tools.OkAsync(Tools.Skopeo, "--insecure-policy", "inspect", "oci-archive:" + archive))!;
        string rawManifest = await Tools.OkAsync(Tools.Skopeo, "--insecure-policy", "inspect", "--raw", "oci-archive:" + archive);

        // docker-archive layers are uncompressed tars, so skopeo lists the diff IDs there...
        Assert.Equal($"[\"{diffId}\"]", asDocker["Layers"]!.ToJsonString());
        Assert.Equal("amd64 linux", $"{asDocker["Architecture"]} {asDocker["Os"]}");
        // ...and compressed blobs on the OCI side. import stores its layer uncompressed (issue 17),
        // so save compresses it once and writes a manifest of its own for the gzip layer.
        Assert.Equal(diffId, layer);
        var saved = JsonNode.Parse(rawManifest)!;
        Assert.NotEqual(manifestDigest, asOci["Digest"]!.GetValue<string>());
        Assert.Equal("sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(rawManifest))), asOci["Digest"]!.GetValue<string>());
        Assert.Equal("application/vnd.oci.image.layer.v1.tar+gzip", saved["layers"]![0]!["mediaType"]!.GetValue<string>());
        Assert.Equal($"[\"{saved["layers"]![0]!["digest"]!.GetValue<string>()}\"]", asOci["Layers"]!.ToJsonString());
        Assert.Equal(inspect["Id"]!.GetValue<string>(), saved["config"]!["digest"]!.GetValue<string>());
    }

    [Fact]
    public async Task Umoci_unpacks_the_store_itself_to_the_same_rootfs_as_strata_image_unpack()
    {
        await _ws.ImportBusyboxAsync("busybox:1", "-c", "CMD [\"sh\"]");
        string bundle = _ws.Scratch.PathOf("bundle");
        string unpacked = _ws.Scratch.PathOf("unpacked");

        await Tools.OkAsync(Tools.Umoci, "unpack", "--image", _ws.Strata.StoreRoot + ":busybox:1", bundle);
        Assert.Equal("", await _ws.Strata.OkAsync("image", "unpack", "busybox:1", unpacked));

        var expected = TreeManifest.Capture(_ws.Rootfs);
        Assert.Equal(expected, TreeManifest.Capture(Path.Combine(bundle, "rootfs")));
        Assert.Equal(expected, TreeManifest.Capture(unpacked));
        await _ws.AssertCheckPassesAsync();
    }

    [Fact]
    public async Task Skopeo_copies_out_of_the_store_load_back_into_strata_as_the_same_image()
    {
        await _ws.ImportBusyboxAsync("busybox:1", "-c", "CMD [\"sh\"]");
        string dockerArchive = _ws.Scratch.PathOf("copied-docker.tar");
        string ociArchive = _ws.Scratch.PathOf("copied-oci.tar");
        string source = "oci:" + _ws.Strata.StoreRoot + ":busybox:1";
        await Tools.OkAsync(Tools.Skopeo, "--insecure-policy", "copy", "-q", source, "docker-archive:" + dockerArchive + ":copied/docker:1");
        await Tools.OkAsync(Tools.Skopeo, "--insecure-policy", "copy", "-q", source, "oci-archive:" + ociArchive + ":copied/oci:1");
        var target = _ws.OtherStore("target");

        Assert.Equal("Loaded image: copied/docker:1\n", await target.OkAsync("load", "-i", dockerArchive));
        Assert.Equal("Loaded image: copied/oci:1\n", await target.OkAsync("load", "-i", ociArchive));

        string original = await _ws.Strata.OkAsync("inspect", "--format", "{{.Id}} {{json .RootFS.Layers}}", "busybox:1");
        Assert.Equal(original, await target.OkAsync("inspect", "--format", "{{.Id}} {{json .RootFS.Layers}}", "copied/docker:1"));
        Assert.Equal(original, await target.OkAsync("inspect", "--format", "{{.Id}} {{json .RootFS.Layers}}", "copied/oci:1"));
        var check = await target.RunAsync("system", "check");
        Assert.True(check.ExitCode == 0 && !check.Stdout.Contains("FAULT", StringComparison.Ordinal), check.ToString());
    }

    /// <summary>Layers leave as gzip made of independently deflated 1 MiB chunks, stored where the
    /// data does not compress: Go's gzip readers (umoci unpack, skopeo's digest checks) must read
    /// a layer of several chunks mixing random and text data. The store keeps the imported layer
    /// uncompressed, so the gzip layer is the one <c>save</c> makes.</summary>
    [Fact]
    public async Task Umoci_and_skopeo_read_a_multi_chunk_layer_of_random_and_text_data()
    {
        string tree = _ws.Scratch.NewDir("mixed");
        var rng = new Random(7);
        var random = new byte[(5 << 20) / 2];
        rng.NextBytes(random);
        await File.WriteAllBytesAsync(Path.Combine(tree, "random.bin"), random);
        await File.WriteAllTextAsync(Path.Combine(tree, "text.txt"), string.Concat(Enumerable.Range(0, 200_000).Select(i => $"line {i % 977}\n")));
        await _ws.Strata.OkAsync("import", tree, "mixed:1");
        string saved = _ws.Scratch.PathOf("mixed-saved.tar");
        await _ws.Strata.OkAsync("save", "-o", saved, "mixed:1");
        string layout = _ws.Scratch.PathOf("mixed-layout");
        await Tools.OkAsync(Tools.Skopeo, "--insecure-policy", "copy", "-q", "oci-archive:" + saved, "oci:" + layout + ":mixed");
        Assert.Equal("application/vnd.oci.image.layer.v1.tar+gzip",
            System.Text.Json.Nodes.JsonNode.Parse(await Tools.OkAsync(Tools.Skopeo, "--insecure-policy", "inspect", "--raw", "oci:" + layout + ":mixed"))!["layers"]![0]!["mediaType"]!.GetValue<string>());
        string bundle = _ws.Scratch.PathOf("bundle");
        string unpacked = _ws.Scratch.PathOf("unpacked");

        await Tools.OkAsync(Tools.Umoci, "unpack", "--image", layout + ":mixed", bundle);
        Assert.Equal("", await _ws.Strata.OkAsync("image", "unpack", "mixed:1", unpacked));
        var archive = _ws.Scratch.PathOf("mixed-docker.tar");
        await Tools.OkAsync(Tools.Skopeo, "--insecure-policy", "copy", "-q", "oci:" + layout + ":mixed", "docker-archive:" + archive + ":mixed:1");

        Assert.Equal(random, await File.ReadAllBytesAsync(Path.Combine(bundle, "rootfs", "random.bin")));
        Assert.Equal(TreeManifest.Capture(Path.Combine(bundle, "rootfs")), TreeManifest.Capture(unpacked));
        var target = _ws.OtherStore("target");
        Assert.Equal("Loaded image: mixed:1\n", await target.OkAsync("load", "-i", archive));
    }

    public void Dispose() => _ws.Dispose();
}
