using Strata.Archive;
using Strata.Core;
using Strata.Images.Archives;
using Strata.Images.Checking;
using Strata.Images.Gc;
using Strata.Images.Import;
using Strata.Images.Metadata;
using Strata.Images.Removal;
using Strata.Images.Transfer;

namespace Strata.Images.Tests.Transfer;

/// <summary>
/// Layers stored uncompressed leave compressed (<see cref="CompressingSink"/>): once per
/// compression and level, the variant remembered in the store, kept by the GC while its layer
/// lives, and the image ID the same whatever the compression.
/// </summary>
public sealed class ExportCompressionTests
{
    private static readonly ImportOptions Uncompressed = new() { Tag = ImageReference.Parse("app:1"), Compression = LayerCompression.None };

    private static async Task<(int Compressed, byte[] Archive)> SaveAsync(ImageStore store, StoredImage image, ExportCompression compression)
    {
        using var output = new MemoryStream();
        int compressed = await ImageSaver.SaveAsync(store, [(image, ImageReference.Parse("app:1"))], output, compression, CancellationToken.None);
        return (compressed, output.ToArray());
    }

    [Theory]
    [InlineData(LayerCompression.Gzip, MediaTypes.OciLayerGzip)]
    [InlineData(LayerCompression.Zstd, MediaTypes.OciLayerZstd)]
    [InlineData(LayerCompression.None, MediaTypes.OciLayer)]
    public async Task A_saved_uncompressed_layer_leaves_compressed_and_loads_back_as_the_same_image(LayerCompression compression, string mediaType)
    {
        await using var source = await TempStore.CreateAsync();
        await using var target = await TempStore.CreateAsync();
        var rootfs = RootfsFixture.Create();
        try
        {
            var image = await RootfsImporter.ImportDirectoryAsync(source.Store, rootfs, "r", Uncompressed, CancellationToken.None);
            Assert.Equal(MediaTypes.OciLayer, image.Manifest.Layers[0].MediaType);

            var (compressed, archive) = await SaveAsync(source.Store, image, new ExportCompression { Compression = compression });
            var loaded = Assert.Single(await ImageLoader.LoadAsync(target.Store, new MemoryStream(archive), "archive", CancellationToken.None));

            Assert.Equal(compression == LayerCompression.None ? 0 : 1, compressed);
            Assert.Equal(image.Id, loaded.Image.Id);
            Assert.Equal(image.Config.RootFs.DiffIds, loaded.Image.Config.RootFs.DiffIds);
            Assert.Equal(mediaType, Assert.Single(loaded.Image.Manifest.Layers).MediaType);
            var variants = await LayerVariantTable.ListAsync(source.Store.Metadata, CancellationToken.None);
            if (compression == LayerCompression.None)
            {
                Assert.Empty(variants);
                Assert.Equal(image.Record.ManifestDigest, loaded.Image.Record.ManifestDigest);
                return;
            }
            var variant = Assert.Single(variants);
            Assert.Equal(image.Manifest.Layers[0].Digest, variant.Digest);
            Assert.Equal(loaded.Image.Manifest.Layers[0].Digest, variant.Variant);
            Assert.Equal(LayerCompressor.DefaultLevel(compression), variant.Level);
            Assert.Equal(variant.Size, (await source.Store.Content.InfoAsync(variant.Variant, CancellationToken.None))!.Size);
        }
        finally
        {
            Scratch.Delete(rootfs);
        }
    }

    [Fact]
    public async Task A_second_save_reads_the_remembered_variant_and_compresses_nothing()
    {
        await using var temp = await TempStore.CreateAsync();
        var rootfs = RootfsFixture.Create();
        try
        {
            var image = await RootfsImporter.ImportDirectoryAsync(temp.Store, rootfs, "r", Uncompressed, CancellationToken.None);

            var first = await SaveAsync(temp.Store, image, ExportCompression.Default);
            var second = await SaveAsync(temp.Store, image, ExportCompression.Default);
            var zstd = await SaveAsync(temp.Store, image, new ExportCompression { Compression = LayerCompression.Zstd });
            var gzip9 = await SaveAsync(temp.Store, image, new ExportCompression { Level = 9 });
            var zstdAgain = await SaveAsync(temp.Store, image, new ExportCompression { Compression = LayerCompression.Zstd });

            Assert.Equal((1, 0, 1, 1, 0), (first.Compressed, second.Compressed, zstd.Compressed, gzip9.Compressed, zstdAgain.Compressed));
            Assert.Equal(first.Archive, second.Archive);
            Assert.Equal(zstd.Archive, zstdAgain.Archive);
            Assert.Equal(
                [(MediaTypes.OciLayerGzip, 6), (MediaTypes.OciLayerGzip, 9), (MediaTypes.OciLayerZstd, 3)],
                (await LayerVariantTable.ListAsync(temp.Store.Metadata, CancellationToken.None)).Select(v => (v.MediaType, v.Level)).Order());
        }
        finally
        {
            Scratch.Delete(rootfs);
        }
    }

    [Fact]
    public async Task System_check_passes_with_an_uncompressed_layer_and_its_compressed_variants()
    {
        await using var temp = await TempStore.CreateAsync();
        var rootfs = RootfsFixture.Create();
        try
        {
            var image = await RootfsImporter.ImportDirectoryAsync(temp.Store, rootfs, "r", Uncompressed, CancellationToken.None);
            await SaveAsync(temp.Store, image, ExportCompression.Default);
            await SaveAsync(temp.Store, image, new ExportCompression { Compression = LayerCompression.Zstd });

            var report = await StoreChecker.CheckAsync(temp.Store, repair: false, verifyDiffIds: true, CancellationToken.None);

            Assert.Empty(report.Findings);
            // layer + two variants + config + manifest.
            Assert.Equal(5, report.BlobsChecked);
        }
        finally
        {
            Scratch.Delete(rootfs);
        }
    }

    [Fact]
    public async Task The_collector_keeps_variants_of_live_layers_and_rmi_frees_them_with_their_layer()
    {
        await using var temp = await TempStore.CreateAsync();
        var rootfs = RootfsFixture.Create();
        try
        {
            var image = await RootfsImporter.ImportDirectoryAsync(temp.Store, rootfs, "r", Uncompressed, CancellationToken.None);
            await SaveAsync(temp.Store, image, ExportCompression.Default);
            var variant = Assert.Single(await LayerVariantTable.ListAsync(temp.Store.Metadata, CancellationToken.None)).Variant;
            var gc = new GarbageCollector(temp.Store, [], null);

            Assert.Contains(variant, (await gc.MarkAsync(null, CancellationToken.None)).Blobs);
            Assert.Empty(await gc.UnreferencedBlobsAsync(CancellationToken.None));

            await ImageRemover.RemoveAsync(temp.Store, "app:1", force: false, CancellationToken.None);

            Assert.Null(await temp.Store.Content.InfoAsync(variant, CancellationToken.None));
            Assert.Null(await temp.Store.Content.InfoAsync(image.Manifest.Layers[0].Digest, CancellationToken.None));
            Assert.Empty(await LayerVariantTable.ListAsync(temp.Store.Metadata, CancellationToken.None));
            Assert.Empty(await gc.UnreferencedBlobsAsync(CancellationToken.None));
        }
        finally
        {
            Scratch.Delete(rootfs);
        }
    }

    [Fact]
    public async Task A_layer_that_came_compressed_leaves_as_it_came()
    {
        await using var temp = await TempStore.CreateAsync();
        var rootfs = RootfsFixture.Create();
        try
        {
            var image = await RootfsImporter.ImportDirectoryAsync(temp.Store, rootfs, "r", new ImportOptions { Tag = ImageReference.Parse("app:1"), Compression = LayerCompression.Zstd }, CancellationToken.None);

            var (compressed, archive) = await SaveAsync(temp.Store, image, ExportCompression.Default);
            await using var target = await TempStore.CreateAsync();
            var loaded = Assert.Single(await ImageLoader.LoadAsync(target.Store, new MemoryStream(archive), "archive", CancellationToken.None));

            Assert.Equal(0, compressed);
            Assert.Equal(image.Record.ManifestDigest, loaded.Image.Record.ManifestDigest);
            Assert.Equal(image.Manifest.Layers, loaded.Image.Manifest.Layers);
        }
        finally
        {
            Scratch.Delete(rootfs);
        }
    }
}
