using Strata.Core;
using Strata.Images.Archives;
using Strata.Images.Import;
using Strata.Images.Views;

namespace Strata.Images.Tests;

public sealed class ArchiveTests
{
    private static string Tarball(string name) => Path.Combine(RepoPaths.Conformance, "google-go-containerregistry", "pkg", "v1", "tarball", "testdata", name);

    private static async Task<IReadOnlyList<LoadedImage>> LoadFileAsync(ImageStore store, string path)
    {
        await using var file = File.OpenRead(path);
        return await ImageLoader.LoadAsync(store, file, path, CancellationToken.None);
    }

    [Fact]
    public async Task Save_then_load_into_a_fresh_store_keeps_every_digest()
    {
        await using var source = await TempStore.CreateAsync();
        await using var target = await TempStore.CreateAsync();
        var rootfs = RootfsFixture.Create();
        var archive = Path.Combine(source.Root, "out.tar");
        try
        {
            var image = await RootfsImporter.ImportDirectoryAsync(source.Store, rootfs, "r", new ImportOptions { Tag = ImageReference.Parse("app:1") }, CancellationToken.None);
            await using (var file = File.Create(archive))
            {
                await ImageSaver.SaveAsync(source.Store, [(image, ImageReference.Parse("app:1"))], file, CancellationToken.None);
            }
            var loaded = Assert.Single(await LoadFileAsync(target.Store, archive));

            Assert.Equal(image.Id, loaded.Image.Id);
            Assert.Equal(image.Record.ManifestDigest, loaded.Image.Record.ManifestDigest);
            Assert.Equal(image.Manifest.Layers.Select(l => l.Digest), loaded.Image.Manifest.Layers.Select(l => l.Digest));
            Assert.Equal(image.Record.Size, loaded.Image.Record.Size);
            Assert.Equal(["app:1"], loaded.Names.Select(n => n.Familiar));
        }
        finally
        {
            Scratch.Delete(rootfs);
        }
    }

    [Fact]
    public async Task Saved_archive_has_the_docker_25_members()
    {
        await using var temp = await TempStore.CreateAsync();
        var rootfs = RootfsFixture.Create();
        try
        {
            var image = await RootfsImporter.ImportDirectoryAsync(temp.Store, rootfs, "r", new ImportOptions { Tag = ImageReference.Parse("layer-test") }, CancellationToken.None);
            var path = Path.Combine(temp.Root, "x.tar");
            await using (var file = File.Create(path))
            {
                await ImageSaver.SaveAsync(temp.Store, [(image, ImageReference.Parse("layer-test"))], file, CancellationToken.None);
            }
            using var index = await TarIndex.BuildAsync(path, "x.tar", CancellationToken.None);
            // Exactly docker 25's members: the OCI layout (blobs of manifest, config and layer) plus the legacy manifest.json and repositories.
            Assert.Equal(
                new[]
                {
                    "blobs", "blobs/sha256", // the index names directories without the slash of their tar headers
                    $"blobs/sha256/{image.Id.Encoded}", $"blobs/sha256/{image.Manifest.Layers[0].Digest.Encoded}", $"blobs/sha256/{image.Record.ManifestDigest.Encoded}",
                    "index.json", "manifest.json", "oci-layout", "repositories",
                }.Order(StringComparer.Ordinal),
                index.Entries.Select(e => e.Name).Order(StringComparer.Ordinal));
            var manifest = System.Text.Encoding.UTF8.GetString(await index.ReadAllAsync("manifest.json", 1 << 20, CancellationToken.None));
            Assert.Equal($"[{{\"Config\":\"blobs/sha256/{image.Id.Encoded}\",\"RepoTags\":[\"layer-test:latest\"],\"Layers\":[\"blobs/sha256/{image.Manifest.Layers[0].Digest.Encoded}\"]}}]", manifest);
            var repositories = System.Text.Encoding.UTF8.GetString(await index.ReadAllAsync("repositories", 1 << 20, CancellationToken.None));
            Assert.Equal($"{{\"layer-test\":{{\"latest\":\"{image.Manifest.Layers[0].Digest.Encoded}\"}}}}", repositories);
        }
        finally
        {
            Scratch.Delete(rootfs);
        }
    }

    [Theory]
    [InlineData("test_image_1.tar", "bazel/v1/tarball:test_image_1")]
    [InlineData("test_image_2.tar", "bazel/v1/tarball:test_image_2")]
    [InlineData("test_load_manifest.tar", "bazel/v1/tarball:test_image_1")]
    public async Task Legacy_docker_archives_load_with_their_tags(string file, string tag)
    {
        await using var temp = await TempStore.CreateAsync();
        var loaded = await LoadFileAsync(temp.Store, Tarball(file));

        var image = Assert.Single(loaded);
        Assert.Equal([tag], image.Names.Select(n => n.Familiar));
        Assert.Equal(image.Image.Config.RootFs.DiffIds, image.Image.Layers.Select(l => l.DiffId));
    }

    [Fact]
    public async Task A_bundle_loads_every_image_it_holds()
    {
        await using var temp = await TempStore.CreateAsync();
        var loaded = await LoadFileAsync(temp.Store, Tarball("test_bundle.tar"));

        Assert.Equal(["test_image_1:latest", "test_image_2:latest"], loaded.SelectMany(l => l.Names).Select(n => n.Familiar).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_layer_stored_as_a_symlink_to_another_image_layer_resolves_inside_the_archive()
    {
        await using var temp = await TempStore.CreateAsync();
        var loaded = await LoadFileAsync(temp.Store, Tarball("test_link.tar"));

        var diffIds = loaded.SelectMany(l => l.Image.Layers).Select(l => l.DiffId.ToString()).ToList();
        Assert.Contains(diffIds, d => d.StartsWith("sha256:8897395f", StringComparison.Ordinal) && d.EndsWith("7b17", StringComparison.Ordinal));
        Assert.All(loaded.SelectMany(l => l.Image.Layers), l => Assert.True(l.Size > 0));
    }

    [Fact]
    public async Task A_docker_25_archive_with_an_empty_oci_index_loads_by_manifest_json()
    {
        await using var temp = await TempStore.CreateAsync();
        var image = Assert.Single(await LoadFileAsync(temp.Store, Tarball("hello-world-v25.tar")));

        Assert.Empty(image.Names);
        Assert.Equal("sha256:ee301c921b8aadc002973b2e0c3da17d701dcd994b606769a7e6eaa100b81d44", image.Image.Id.Value);
        var rows = ImageHistory.For(image.Image);
        Assert.Equal(["CMD [\"/hello\"]", "COPY hello / # buildkit"], rows.Select(r => r.CreatedBy));
        Assert.Equal([0L, 9136L], rows.Select(r => r.Size));
    }

    [Theory]
    [InlineData("null_manifest.tar")]
    [InlineData("no_manifest.tar")]
    [InlineData("content.tar")]
    public async Task Broken_archives_fail_with_a_message_naming_the_archive_and_store_nothing(string file)
    {
        await using var temp = await TempStore.CreateAsync();
        var ex = await Assert.ThrowsAnyAsync<StrataException>(() => LoadFileAsync(temp.Store, Tarball(file)));

        Assert.Contains(file, ex.Message, StringComparison.Ordinal);
        Assert.Empty(await temp.Store.ListAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_gzip_compressed_archive_from_a_pipe_loads()
    {
        await using var temp = await TempStore.CreateAsync();
        var bytes = await File.ReadAllBytesAsync(Tarball("test_image_1.tar"));
        using var compressed = new MemoryStream();
        await using (var gz = new System.IO.Compression.GZipStream(compressed, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
        {
            await gz.WriteAsync(bytes);
        }
        compressed.Position = 0;
        var loaded = await ImageLoader.LoadAsync(temp.Store, compressed, "stdin", CancellationToken.None);

        Assert.Equal("bazel/v1/tarball:test_image_1", Assert.Single(loaded).Names.Single().Familiar);
        Assert.Empty(Directory.EnumerateFileSystemEntries(temp.Store.Layout.Temp));
    }

    [Fact]
    public async Task A_layer_that_does_not_match_its_diff_id_is_rejected()
    {
        await using var temp = await TempStore.CreateAsync();
        var rootfs = RootfsFixture.Create();
        try
        {
            var image = await RootfsImporter.ImportDirectoryAsync(temp.Store, rootfs, "r", new ImportOptions(), CancellationToken.None);
            var wrong = new DiffId(Digest.Compute("not this"u8));
            await using var blob = await temp.Store.Content.OpenReadAsync(image.Manifest.Layers[0].Digest, CancellationToken.None);

            var ex = await Assert.ThrowsAsync<DigestMismatchException>(() => Strata.Images.Layers.LayerIngest.FromBlobAsync(
                temp.Store, blob, image.Manifest.Layers[0].MediaType, wrong, null, "layer.tar", CancellationToken.None));
            Assert.Contains("layer.tar", ex.Message, StringComparison.Ordinal);
            Assert.Contains(wrong.ToString(), ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            Scratch.Delete(rootfs);
        }
    }
}
