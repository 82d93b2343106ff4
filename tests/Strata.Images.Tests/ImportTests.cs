using Strata.Core;
using Strata.Images.Import;
using Strata.Images.Views;
using Strata.Oci;

namespace Strata.Images.Tests;

public sealed class ImportTests
{
    [Fact]
    public async Task Import_of_a_directory_makes_a_one_layer_image_with_docker_sizes_and_history()
    {
        await using var temp = await TempStore.CreateAsync();
        var rootfs = RootfsFixture.Create();
        try
        {
            var image = await RootfsImporter.ImportDirectoryAsync(temp.Store, rootfs, "rootfs", new ImportOptions { Tag = ImageReference.Parse("base:1") }, CancellationToken.None);

            Assert.Single(image.Layers);
            Assert.Equal(RootfsFixture.ContentSize(rootfs), image.Record.Size);
            Assert.Equal(image.Layers[0].DiffId, image.Config.RootFs.DiffIds[0]);
            Assert.Equal(MediaTypes.OciLayerGzip, image.Manifest.Layers[0].MediaType);
            Assert.Equal(["base:1"], image.Tags.Select(t => t.Familiar));
            var history = Assert.Single(ImageHistory.For(image));
            Assert.Equal(image.Id.Value, history.Id);
            Assert.Equal("Imported from rootfs", history.Comment);
            Assert.Equal(image.Record.Size, history.Size);
            Assert.Equal(TempStore.FixedNow, image.Config.Created);
        }
        finally
        {
            Scratch.Delete(rootfs);
        }
    }

    [Fact]
    public async Task Importing_the_same_tree_twice_reuses_one_layer_blob()
    {
        await using var temp = await TempStore.CreateAsync();
        var rootfs = RootfsFixture.Create();
        try
        {
            var a = await RootfsImporter.ImportDirectoryAsync(temp.Store, rootfs, "a", new ImportOptions { Tag = ImageReference.Parse("a") }, CancellationToken.None);
            var b = await RootfsImporter.ImportDirectoryAsync(temp.Store, rootfs, "b", new ImportOptions { Tag = ImageReference.Parse("b"), Message = "second" }, CancellationToken.None);

            Assert.NotEqual(a.Id, b.Id);
            Assert.Equal(a.Manifest.Layers[0].Digest, b.Manifest.Layers[0].Digest);
            Assert.Single(await temp.Store.Metadata.ListLayersAsync(CancellationToken.None));
        }
        finally
        {
            Scratch.Delete(rootfs);
        }
    }

    [Fact]
    public async Task Source_date_epoch_makes_two_stores_produce_the_same_image_id()
    {
        var rootfs = RootfsFixture.Create();
        try
        {
            var epoch = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
            var options = new ImportOptions { SourceDateEpoch = epoch, Tag = ImageReference.Parse("repro") };
            await using var one = await TempStore.CreateAsync();
            await using var two = await TempStore.CreateAsync();
            var a = await RootfsImporter.ImportDirectoryAsync(one.Store, rootfs, "x", options, CancellationToken.None);
            File.SetLastWriteTimeUtc(Path.Combine(rootfs, "app", "app.js"), DateTime.UtcNow.AddDays(1));
            var b = await RootfsImporter.ImportDirectoryAsync(two.Store, rootfs, "x", options, CancellationToken.None);

            Assert.Equal(a.Id, b.Id);
            Assert.Equal(a.Record.ManifestDigest, b.Record.ManifestDigest);
        }
        finally
        {
            Scratch.Delete(rootfs);
        }
    }

    [Fact]
    public async Task Import_of_a_tar_applies_it_confined_and_rewrites_it_canonically()
    {
        await using var temp = await TempStore.CreateAsync();
        var rootfs = RootfsFixture.Create();
        using var tarDir = new TempDir("strata-import-");
        var tarPath = tarDir.PathOf("rootfs.tar");
        try
        {
            var fromDir = await RootfsImporter.ImportDirectoryAsync(temp.Store, rootfs, "dir", new ImportOptions(), CancellationToken.None);
            await using (var tar = File.Create(tarPath))
            {
                await Strata.Archive.LayerWriter.WriteTreeAsync(rootfs, tar, Strata.Archive.LayerWriteOptions.Default with { Compression = Strata.Archive.LayerCompression.None }, CancellationToken.None);
            }
            await using var input = File.OpenRead(tarPath);
            var fromTar = await RootfsImporter.ImportTarAsync(temp.Store, input, "tar", new ImportOptions(), CancellationToken.None);

            Assert.Equal(fromDir.Layers[0].DiffId, fromTar.Layers[0].DiffId);
            Assert.Empty(Directory.EnumerateFileSystemEntries(temp.Store.Layout.Temp));
        }
        finally
        {
            Scratch.Delete(rootfs);
        }
    }

    [Fact]
    public async Task Import_of_a_missing_directory_names_it()
    {
        await using var temp = await TempStore.CreateAsync();
        var ex = await Assert.ThrowsAsync<NotFoundException>(() => RootfsImporter.ImportDirectoryAsync(temp.Store, "/nonexistent/rootfs", "x", new ImportOptions(), CancellationToken.None));
        Assert.Contains("/nonexistent/rootfs", ex.Message, StringComparison.Ordinal);
    }
}
