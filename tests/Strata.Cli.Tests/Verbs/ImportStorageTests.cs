using Strata.Build.Cache;
using Strata.Core;
using Strata.Core.Unix;
using Strata.Images;
using Strata.Images.Metadata;

namespace Strata.Cli.Tests.Verbs;

/// <summary>
/// <c>strata import</c> stores its layer uncompressed, as a build step or <c>commit</c> does, and
/// the layer is compressed once, when it leaves: the first <c>save</c> makes and remembers the
/// gzip variant, the second reads it (issue 17).
/// </summary>
public sealed class ImportStorageTests : IDisposable
{
    private readonly TempDir _temp = new("strata-import-storage-");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task An_imported_layer_is_stored_uncompressed_and_the_first_save_compresses_it_once()
    {
        var root = _temp.PathOf( "store");
        var rootfs = _temp.PathOf( "rootfs");
        Directory.CreateDirectory(Path.Combine(rootfs, "etc"));
        await File.WriteAllTextAsync(Path.Combine(rootfs, "etc", "motd"), string.Concat(Enumerable.Repeat("stored as it is, compressed on the way out\n", 500)));

        var import = await StrataCli.WithoutStore.RunAsync("--root", root, "import", rootfs, "imp:1");
        Assert.True(import.ExitCode == 0, import.Stderr);

        var (layer, diffId, variants) = await ReadStoreAsync(root);
        Assert.Equal(MediaTypes.OciLayer, layer.MediaType);
        // Uncompressed: the stored blob is the tar its diff ID names.
        Assert.Equal(diffId, layer.Digest);
        Assert.Empty(variants);

        var first = _temp.PathOf( "first.tar");
        var second = _temp.PathOf( "second.tar");
        var saved = await StrataCli.WithoutStore.RunAsync("--root", root, "save", "-o", first, "imp:1");
        Assert.True(saved.ExitCode == 0, saved.Stderr);
        var variant = Assert.Single((await ReadStoreAsync(root)).Variants);
        var variantPath = Path.Combine(root, "blobs", "sha256", variant.Variant.Encoded);
        var madeBy = Libc.Lstat(variantPath);
        int blobs = Directory.GetFiles(Path.Combine(root, "blobs", "sha256")).Length;

        saved = await StrataCli.WithoutStore.RunAsync("--root", root, "save", "-o", second, "imp:1");
        Assert.True(saved.ExitCode == 0, saved.Stderr);

        Assert.Equal(layer.Digest, variant.Digest);
        Assert.Equal((MediaTypes.OciLayerGzip, 6), (variant.MediaType, variant.Level));
        // The second save read the remembered variant: no new row, no new blob, the same file, the same bytes.
        Assert.Equal(variant, Assert.Single((await ReadStoreAsync(root)).Variants));
        Assert.Equal(blobs, Directory.GetFiles(Path.Combine(root, "blobs", "sha256")).Length);
        Assert.Equal(madeBy.Inode, Libc.Lstat(variantPath).Inode);
        Assert.Equal(await File.ReadAllBytesAsync(first), await File.ReadAllBytesAsync(second));
    }

    private static async Task<(Descriptor Layer, Digest DiffId, List<LayerVariantRecord> Variants)> ReadStoreAsync(string root)
    {
        var options = ImageStoreOptions.Default with { OwnerTables = [BuildCacheTables.Tables] };
        var store = await ImageStore.OpenAsync(root, options, CancellationToken.None);
        var image = await store.GetAsync("imp:1", CancellationToken.None);
        return (Assert.Single(image.Manifest.Layers), Assert.Single(image.Config.RootFs.DiffIds).Digest, await LayerVariantTable.ListAsync(store.Metadata, CancellationToken.None));
    }
}
