using Strata.Core;
using Strata.Images.Import;
using Strata.Images.Indexes;

namespace Strata.Images.Tests.Indexes;

/// <summary>
/// <see cref="IndexAssembler"/>: images imported under platform labels become one index whose
/// children are their manifests in the order given, each under its config's platform; the
/// catalog finds it by name, and a second image of one platform is refused before anything is named.
/// </summary>
public sealed class IndexAssemblerTests : WithRootfs
{
    private static readonly ImageReference Multi = ImageReference.Parse("multi:1");

    private async Task<StoredImage> ImportAsync(TempStore temp, string platform, string tag) =>
        await RootfsImporter.ImportDirectoryAsync(temp.Store, Rootfs, "r", new ImportOptions { Tag = ImageReference.Parse(tag), Platform = Platform.Parse(platform), Message = tag }, CancellationToken.None);

    [Fact]
    public async Task The_index_lists_each_image_under_its_config_platform_in_the_order_given()
    {
        await using var temp = await TempStore.CreateAsync();
        var arm64 = await ImportAsync(temp, "linux/arm64", "bb:arm64");
        var armV7 = await ImportAsync(temp, "linux/arm/v7", "bb:armv7");

        var index = await IndexAssembler.CreateAsync(temp.Store, Multi, ["bb:armv7", "bb:arm64"], new IndexCreateOptions(), CancellationToken.None);

        Assert.Equal([armV7.Record.ManifestDigest, arm64.Record.ManifestDigest], index.Children.Select(c => c.Manifest.Digest));
        Assert.Equal(["linux/arm/v7", "linux/arm64"], index.Children.Select(c => c.Platform!.ToString()));
        Assert.Equal([armV7.Id, arm64.Id], index.Children.Select(c => c.ImageId!.Value));
        Assert.Equal([Multi], index.Tags);
        Assert.Equal(index.Digest, (await temp.Store.Indexes.TryFindAsync("multi:1", CancellationToken.None))!.Digest);
        Assert.Equal(arm64.Id, (await temp.Store.GetAsync("multi:1", Platform.Parse("linux/arm64"), CancellationToken.None)).Id);
        // The blob is the index: its digest is the bytes'.
        var bytes = await File.ReadAllBytesAsync(Path.Combine(temp.Store.Layout.Root, "blobs", "sha256", index.Digest.Encoded));
        Assert.Equal(index.Digest, Digest.Compute(bytes));
        Assert.Equal(MediaTypes.OciIndex, index.Record.MediaType);
    }

    [Fact]
    public async Task Two_images_of_one_platform_are_refused_and_the_name_stays_free()
    {
        await using var temp = await TempStore.CreateAsync();
        await ImportAsync(temp, "linux/arm/v7", "bb:one");
        await ImportAsync(temp, "linux/arm/v7", "bb:two");

        var error = await Assert.ThrowsAsync<InvalidArgumentException>(() =>
            IndexAssembler.CreateAsync(temp.Store, Multi, ["bb:one", "bb:two"], new IndexCreateOptions(), CancellationToken.None));

        Assert.Equal("images bb:one and bb:two are both linux/arm/v7: a manifest list holds one image per platform", error.Message);
        Assert.Null(await temp.Store.Indexes.TryFindAsync("multi:1", CancellationToken.None));
    }
}
