using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Strata.Integration.Tests.Fixtures;

namespace Strata.Integration.Tests.Cli;

/// <summary>
/// Issue 18 items 4 and 6: a corrupt stored blob is caught as it streams out (save fails naming
/// it and leaves no archive), and an archive whose manifest or index could be read as the other
/// kind is refused by load with one line naming the document (the image-spec's rules).
/// </summary>
public sealed class ArchiveIntegrityTests : IDisposable
{
    private readonly Workspace _ws = new();

    public void Dispose() => _ws.Dispose();

    [Fact]
    public async Task Save_of_an_image_with_a_flipped_byte_in_a_layer_fails_naming_the_blob_and_leaves_no_archive()
    {
        await _ws.ImportBusyboxAsync("busybox:1");
        var layer = (string)StoreManifest()["layers"]![0]!["digest"]!;
        var blob = Path.Combine(_ws.Strata.StoreRoot, "blobs", "sha256", layer["sha256:".Length..]);
        File.SetUnixFileMode(blob, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var bytes = await File.ReadAllBytesAsync(blob);
        bytes[bytes.Length / 2] ^= 0x01;
        await File.WriteAllBytesAsync(blob, bytes);
        var outputDir = _ws.Scratch.NewDir("out");
        var archive = Path.Combine(outputDir, "busybox.tar");

        var result = await _ws.Strata.RunAsync("save", "-o", archive, "busybox:1");

        Assert.Equal(1, result.ExitCode);
        Assert.Matches($"^Error: blob {layer} is corrupt \\([0-9]+ bytes read\\): digest mismatch: expected {layer}, got sha256:[0-9a-f]{{64}}\n$", result.Stderr);
        Assert.Equal("", result.Stdout);
        Assert.Empty(Directory.EnumerateFileSystemEntries(outputDir));
    }

    [Fact]
    public async Task Load_refuses_a_manifest_carrying_both_layers_and_manifests()
    {
        var layout = await SavedLayoutAsync();
        var manifest = JsonNode.Parse(await File.ReadAllTextAsync(layout.ManifestPath))!.AsObject();
        manifest["manifests"] = new JsonArray(JsonNode.Parse(layout.Index["manifests"]![0]!.ToJsonString()));
        var digest = layout.PutBlob(manifest.ToJsonString());
        layout.PointIndexAt(JsonNode.Parse($$"""{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"{{digest.Digest}}","size":{{digest.Size}}}""")!);

        await AssertLoadRefusedAsync(layout, $"manifest {digest.Digest} is ambiguous: it carries both \"layers\" and \"manifests\"");
    }

    [Fact]
    public async Task Load_refuses_a_manifest_whose_media_type_disagrees_with_its_descriptor()
    {
        var layout = await SavedLayoutAsync();
        var manifest = JsonNode.Parse(await File.ReadAllTextAsync(layout.ManifestPath))!.AsObject();
        manifest["mediaType"] = "application/vnd.docker.distribution.manifest.v2+json";
        var digest = layout.PutBlob(manifest.ToJsonString());
        layout.PointIndexAt(JsonNode.Parse($$"""{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"{{digest.Digest}}","size":{{digest.Size}}}""")!);

        await AssertLoadRefusedAsync(layout,
            $"manifest {digest.Digest} is ambiguous: it says its mediaType is \"application/vnd.docker.distribution.manifest.v2+json\" but its descriptor says \"application/vnd.oci.image.manifest.v1+json\"");
    }

    [Fact]
    public async Task Load_refuses_an_index_carrying_layers_or_config()
    {
        var layout = await SavedLayoutAsync();
        var manifestDescriptor = JsonNode.Parse(layout.Index["manifests"]![0]!.ToJsonString())!.AsObject();
        manifestDescriptor.Remove("annotations");
        var manifest = JsonNode.Parse(await File.ReadAllTextAsync(layout.ManifestPath))!;
        var nested = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = "application/vnd.oci.image.index.v1+json",
            ["manifests"] = new JsonArray(manifestDescriptor),
            ["layers"] = JsonNode.Parse(manifest["layers"]!.ToJsonString()),
        };
        var digest = layout.PutBlob(nested.ToJsonString());
        layout.PointIndexAt(JsonNode.Parse($$"""{"mediaType":"application/vnd.oci.image.index.v1+json","digest":"{{digest.Digest}}","size":{{digest.Size}}}""")!);

        await AssertLoadRefusedAsync(layout, $"index {digest.Digest} is ambiguous: it is an index carrying \"layers\"");

        var config = JsonNode.Parse(manifest["config"]!.ToJsonString());
        nested.Remove("layers");
        nested["config"] = config;
        var second = layout.PutBlob(nested.ToJsonString());
        layout.PointIndexAt(JsonNode.Parse($$"""{"mediaType":"application/vnd.oci.image.index.v1+json","digest":"{{second.Digest}}","size":{{second.Size}}}""")!);

        await AssertLoadRefusedAsync(layout, $"index {second.Digest} is ambiguous: it is an index carrying \"config\"");
    }

    private JsonObject StoreManifest()
    {
        var index = JsonNode.Parse(File.ReadAllText(Path.Combine(_ws.Strata.StoreRoot, "index.json")))!;
        var digest = (string)index["manifests"]![0]!["digest"]!;
        return JsonNode.Parse(File.ReadAllText(Path.Combine(_ws.Strata.StoreRoot, "blobs", "sha256", digest["sha256:".Length..])))!.AsObject();
    }

    /// <summary>busybox saved and unpacked into a directory, made a plain OCI layout (no manifest.json).</summary>
    private async Task<Layout> SavedLayoutAsync()
    {
        await _ws.ImportBusyboxAsync("busybox:1");
        var archive = _ws.Scratch.PathOf("saved.tar");
        await _ws.Strata.OkAsync("save", "-o", archive, "busybox:1");
        var dir = _ws.Scratch.NewDir("layout");
        await TarFile.ExtractToDirectoryAsync(archive, dir, overwriteFiles: false);
        File.Delete(Path.Combine(dir, "manifest.json"));
        File.Delete(Path.Combine(dir, "repositories"));
        return new Layout(dir);
    }

    private async Task AssertLoadRefusedAsync(Layout layout, string problem)
    {
        var archive = _ws.Scratch.PathOf($"ambiguous-{Guid.NewGuid():N}.tar");
        await TarFile.CreateFromDirectoryAsync(layout.Root, archive, includeBaseDirectory: false);
        var fresh = _ws.OtherStore($"fresh-{Guid.NewGuid():N}");

        var result = await fresh.RunAsync("load", "-i", archive);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"Error: {archive}: {problem}\n", result.Stderr);
        Assert.Equal("", result.Stdout);
        Assert.Equal("", await fresh.OkAsync("images", "-q"));
    }

    private sealed class Layout(string root)
    {
        public string Root => root;

        public JsonObject Index => JsonNode.Parse(File.ReadAllText(Path.Combine(root, "index.json")))!.AsObject();

        public string ManifestPath => Path.Combine(root, "blobs", "sha256", ((string)Index["manifests"]![0]!["digest"]!)["sha256:".Length..]);

        public (string Digest, long Size) PutBlob(string json)
        {
            var bytes = Encoding.UTF8.GetBytes(json);
            var hex = Convert.ToHexStringLower(SHA256.HashData(bytes));
            File.WriteAllBytes(Path.Combine(root, "blobs", "sha256", hex), bytes);
            return ($"sha256:{hex}", bytes.Length);
        }

        public void PointIndexAt(JsonNode descriptor)
        {
            var index = Index;
            index["manifests"] = new JsonArray(descriptor);
            File.WriteAllText(Path.Combine(root, "index.json"), index.ToJsonString());
        }
    }
}
