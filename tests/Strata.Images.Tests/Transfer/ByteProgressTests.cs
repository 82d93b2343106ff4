using System.Collections.Concurrent;
using Strata.Core;
using Strata.Images.Archives;
using Strata.Images.Import;
using Strata.Images.Transfer;

namespace Strata.Images.Tests.Transfer;

/// <summary>
/// The progress the libraries report for the CLI's bars: import reports the source's bytes and the
/// layer's content bytes, save and load each layer's bytes, every item rising to its total.
/// </summary>
public sealed class ByteProgressTests
{
    /// <summary>Every report, in order per item.</summary>
    private sealed class Recorder : IProgress<ByteProgress>
    {
        public ConcurrentQueue<ByteProgress> Reports { get; } = new();

        public void Report(ByteProgress value) => Reports.Enqueue(value);

        /// <summary>The items in the order they first reported.</summary>
        public List<string> Items => [.. Reports.Select(r => r.Item).Distinct()];

        /// <summary>An item's reports: counts that never go back, starting at 0, ending at its total.</summary>
        public long Whole(string item)
        {
            var mine = Reports.Where(r => r.Item == item).ToList();
            Assert.Equal(0, mine[0].Done);
            Assert.All(mine.Zip(mine.Skip(1)), p => Assert.True(p.Second.Done >= p.First.Done, $"{item} went back from {p.First.Done} to {p.Second.Done}"));
            var total = Assert.Single(mine.Select(r => r.Total).Distinct());
            Assert.Equal(total, mine[^1].Done);
            return total!.Value;
        }
    }

    [Fact]
    public async Task Import_of_a_tar_reports_its_bytes_read_then_the_layers_content_bytes()
    {
        await using var temp = await TempStore.CreateAsync();
        var rootfs = RootfsFixture.Create();
        var tar = Path.Combine(temp.Root, "rootfs.tar");
        try
        {
            await System.Formats.Tar.TarFile.CreateFromDirectoryAsync(rootfs, tar, includeBaseDirectory: false);
            var progress = new Recorder();
            StoredImage image;
            await using (var input = File.OpenRead(tar))
                image = await RootfsImporter.ImportTarAsync(temp.Store, input, "rootfs.tar", new ImportOptions(), progress, CancellationToken.None);

            Assert.Equal(["rootfs.tar", RootfsImporter.LayerItem], progress.Items);
            Assert.Equal(new FileInfo(tar).Length, progress.Whole("rootfs.tar"));
            // The layer's SIZE (.NET's tar writer stores the fixture's hard link as a second file, so it counts twice).
            Assert.Equal(Assert.Single(image.Layers).ContentSize, progress.Whole(RootfsImporter.LayerItem));
            Assert.Equal(RootfsFixture.ContentSize(rootfs) + new FileInfo(Path.Combine(rootfs, "app", "same.js")).Length, progress.Whole(RootfsImporter.LayerItem));
        }
        finally
        {
            Scratch.Delete(rootfs);
        }
    }

    [Fact]
    public async Task Save_and_load_report_each_layer_by_its_short_digest_up_to_its_size()
    {
        await using var source = await TempStore.CreateAsync();
        await using var target = await TempStore.CreateAsync();
        var rootfs = RootfsFixture.Create();
        var archive = Path.Combine(source.Root, "out.tar");
        try
        {
            var image = await RootfsImporter.ImportDirectoryAsync(source.Store, rootfs, "r", new ImportOptions { Tag = ImageReference.Parse("app:1") }, CancellationToken.None);
            var layer = Assert.Single(image.Manifest.Layers);
            var saved = new Recorder();
            await using (var file = File.Create(archive))
                await ImageSaver.SaveAsync(source.Store, [(image, ImageReference.Parse("app:1"))], [], PlatformSelection.All, file, ExportCompression.Default, saved, CancellationToken.None);
            var loaded = new Recorder();
            await using (var file = File.OpenRead(archive))
                await ImageLoader.LoadAsync(target.Store, file, archive, loaded, CancellationToken.None);

            Assert.Equal([layer.Digest.ShortHex], saved.Items);
            Assert.Equal(layer.Size, saved.Whole(layer.Digest.ShortHex));
            // A plain archive file is read in place: only the layer reports.
            Assert.Equal([layer.Digest.ShortHex], loaded.Items);
            Assert.Equal(layer.Size, loaded.Whole(layer.Digest.ShortHex));
        }
        finally
        {
            Scratch.Delete(rootfs);
        }
    }

    [Fact]
    public async Task Load_of_a_compressed_archive_reports_the_archive_read_first()
    {
        await using var source = await TempStore.CreateAsync();
        await using var target = await TempStore.CreateAsync();
        var rootfs = RootfsFixture.Create();
        var archive = Path.Combine(source.Root, "out.tar.gz");
        try
        {
            var image = await RootfsImporter.ImportDirectoryAsync(source.Store, rootfs, "r", new ImportOptions { Tag = ImageReference.Parse("app:1") }, CancellationToken.None);
            await using (var file = File.Create(archive))
            await using (var gzip = new System.IO.Compression.GZipStream(file, System.IO.Compression.CompressionLevel.Fastest))
                await ImageSaver.SaveAsync(source.Store, [(image, ImageReference.Parse("app:1"))], gzip, CancellationToken.None);
            var loaded = new Recorder();
            await using (var file = File.OpenRead(archive))
                await ImageLoader.LoadAsync(target.Store, file, "out.tar.gz", loaded, CancellationToken.None);

            var layer = Assert.Single(image.Manifest.Layers);
            Assert.Equal(["out.tar.gz", layer.Digest.ShortHex], loaded.Items);
            Assert.Equal(new FileInfo(archive).Length, loaded.Whole("out.tar.gz"));
            Assert.Equal(layer.Size, loaded.Whole(layer.Digest.ShortHex));
        }
        finally
        {
            Scratch.Delete(rootfs);
        }
    }
}
