using Strata.Content;
using Strata.Core;
using Strata.Images.Checking;
using Strata.Images.Gc;
using Strata.Images.Import;

namespace Strata.Images.Tests.Gc;

/// <summary>The one collector: images, reference providers and leases are its roots; everything else in blobs/ is garbage.</summary>
public sealed class GarbageCollectorTests
{
    /// <summary>An owner above the store (as the build cache is) holding a fixed set of blobs.</summary>
    private sealed class HeldBlobs(params Digest[] blobs) : IReferenceProvider
    {
        public Task<GcRoots> RootsAsync(CancellationToken cancellationToken) =>
            Task.FromResult(GcRoots.Empty with { Blobs = new HashSet<Digest>(blobs) });
    }

    private static async Task<Digest> WriteLooseBlobAsync(ImageStore store, string text) =>
        (await store.Content.WriteBlobAsync("application/octet-stream", System.Text.Encoding.UTF8.GetBytes(text), CancellationToken.None)).Digest;

    [Fact]
    public async Task Marks_images_and_what_providers_hold_and_reports_the_rest_as_unreferenced()
    {
        await using var temp = await TempStore.CreateAsync();
        var rootfs = RootfsFixture.Create();
        try
        {
            var image = await RootfsImporter.ImportDirectoryAsync(temp.Store, rootfs, "r", new ImportOptions { Tag = ImageReference.Parse("app:1") }, CancellationToken.None);
            var held = await WriteLooseBlobAsync(temp.Store, "held by the build cache");
            var loose = await WriteLooseBlobAsync(temp.Store, "nobody's");
            var gc = new GarbageCollector(temp.Store, [new HeldBlobs(held)], null);

            var roots = await gc.MarkAsync(null, CancellationToken.None);
            var garbage = await gc.UnreferencedBlobsAsync(CancellationToken.None);

            Assert.Equal(
                new[] { image.Id, image.Record.ManifestDigest, image.Manifest.Layers[0].Digest, held }.Order(),
                roots.Blobs.Order());
            Assert.Equal([loose], garbage.Select(g => g.Digest));
        }
        finally
        {
            Scratch.Delete(rootfs);
        }
    }

    [Fact]
    public async Task System_check_repair_through_the_collector_keeps_what_a_provider_holds()
    {
        await using var temp = await TempStore.CreateAsync();
        var held = await WriteLooseBlobAsync(temp.Store, "held");
        var loose = await WriteLooseBlobAsync(temp.Store, "loose");
        var gc = new GarbageCollector(temp.Store, [new HeldBlobs(held)], null);

        var check = await StoreChecker.CheckAsync(gc, repair: false, verifyDiffIds: false, CancellationToken.None);
        var repaired = await StoreChecker.CheckAsync(gc, repair: true, verifyDiffIds: false, CancellationToken.None);

        Assert.Equal([$"blob {loose} (5 bytes) is referenced by no image"], check.Findings.Select(f => f.Message));
        Assert.Contains($"removed blob {loose}", repaired.Repairs);
        Assert.NotNull(await temp.Store.Content.InfoAsync(held, CancellationToken.None));
        Assert.Null(await temp.Store.Content.InfoAsync(loose, CancellationToken.None));
    }
}
