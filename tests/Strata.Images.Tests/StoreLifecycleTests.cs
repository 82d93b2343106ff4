using Strata.Core;
using Strata.Images.Checking;
using Strata.Images.Import;
using Strata.Images.Metadata;
using Strata.Images.Removal;
using Strata.Images.Views;

namespace Strata.Images.Tests;

public sealed class StoreLifecycleTests : WithRootfs
{
    private Task<StoredImage> ImportAsync(ImageStore store, string tag, string? message = null) =>
        RootfsImporter.ImportDirectoryAsync(store, Rootfs, "r", new ImportOptions { Tag = ImageReference.Parse(tag), Message = message }, CancellationToken.None);

    [Fact]
    public async Task Two_images_sharing_a_layer_count_it_once_in_df_and_as_shared_in_each()
    {
        await using var temp = await TempStore.CreateAsync();
        var a = await ImportAsync(temp.Store, "a", "one");
        await ImportAsync(temp.Store, "b", "two");

        var df = await DiskUsage.ComputeAsync(temp.Store, CancellationToken.None);

        Assert.Equal(a.Record.Size, df.ImagesTotalSize);
        Assert.All(df.Images, i => Assert.Equal((a.Record.Size, a.Record.Size, 0L), (i.Size, i.SharedSize, i.UniqueSize)));
    }

    [Fact]
    public async Task Rmi_of_one_of_two_tags_only_untags()
    {
        await using var temp = await TempStore.CreateAsync();
        var image = await ImportAsync(temp.Store, "a");
        await temp.Store.TagAsync("a", "b:2", CancellationToken.None);

        var report = await ImageRemover.RemoveAsync(temp.Store, "b:2", force: false, CancellationToken.None);

        Assert.Equal(["b:2"], report.Untagged);
        Assert.Empty(report.Deleted);
        Assert.NotNull(await temp.Store.TryGetAsync(image.Id.Value, CancellationToken.None));
    }

    [Fact]
    public async Task Rmi_by_id_of_an_image_with_two_names_needs_force()
    {
        await using var temp = await TempStore.CreateAsync();
        var image = await ImportAsync(temp.Store, "a");
        await temp.Store.TagAsync("a", "b", CancellationToken.None);

        var ex = await Assert.ThrowsAsync<FailedPreconditionException>(() => ImageRemover.RemoveAsync(temp.Store, image.Id.ShortHex, force: false, CancellationToken.None));
        Assert.Contains("referenced in multiple repositories", ex.Message, StringComparison.Ordinal);

        var report = await ImageRemover.RemoveAsync(temp.Store, image.Id.ShortHex, force: true, CancellationToken.None);
        Assert.Equal(["a:latest", "b:latest"], report.Untagged.Order(StringComparer.Ordinal));
        Assert.Contains(image.Id.Value, report.Deleted);
    }

    [Fact]
    public async Task Rmi_refuses_an_image_a_container_uses_unless_forced()
    {
        await using var temp = await TempStore.CreateAsync();
        var image = await ImportAsync(temp.Store, "a");
        await temp.Store.Metadata.WriteAsync(async (c, ct) =>
        {
            await MetadataStore.PutContainerAsync(c, new ContainerRecord("c0ffee00c0ffee00", "busy", image.Id, TempStore.FixedNow, "exited"), ct);
            return 0;
        }, CancellationToken.None);

        var ex = await Assert.ThrowsAsync<FailedPreconditionException>(() => ImageRemover.RemoveAsync(temp.Store, "a", force: false, CancellationToken.None));
        Assert.Contains("container c0ffee00c0ff is using its referenced image", ex.Message, StringComparison.Ordinal);
        await ImageRemover.RemoveAsync(temp.Store, "a", force: true, CancellationToken.None);
        Assert.Null(await temp.Store.TryGetAsync("a", CancellationToken.None));
    }

    [Fact]
    public async Task Removing_the_last_user_of_a_layer_frees_its_blob_and_a_shared_one_survives()
    {
        await using var temp = await TempStore.CreateAsync();
        var a = await ImportAsync(temp.Store, "a", "one");
        var b = await ImportAsync(temp.Store, "b", "two");
        var layer = a.Manifest.Layers[0].Digest;

        var first = await ImageRemover.RemoveAsync(temp.Store, "a", force: false, CancellationToken.None);
        Assert.NotNull(await temp.Store.Content.InfoAsync(layer, CancellationToken.None));
        Assert.Null(await temp.Store.Content.InfoAsync(a.Record.ManifestDigest, CancellationToken.None));
        Assert.DoesNotContain(layer.Value, first.Deleted);

        var manifestSize = (await temp.Store.Content.InfoAsync(b.Record.ManifestDigest, CancellationToken.None))!.Size;
        var second = await ImageRemover.RemoveAsync(temp.Store, "b", force: false, CancellationToken.None);
        Assert.Null(await temp.Store.Content.InfoAsync(layer, CancellationToken.None));
        Assert.Null(await temp.Store.Content.InfoAsync(b.Manifest.Config.Digest, CancellationToken.None));
        Assert.Null(await temp.Store.Content.InfoAsync(b.Record.ManifestDigest, CancellationToken.None));
        // The last user of the layer went: its blob, config and manifest are what was reclaimed, exactly.
        Assert.Equal(b.Manifest.Layers[0].Size + b.Manifest.Config.Size + manifestSize, second.ReclaimedBytes);
        var check = await StoreChecker.CheckAsync(temp.Store, repair: false, verifyDiffIds: true, CancellationToken.None);
        Assert.Empty(check.Findings);
    }

    [Fact]
    public async Task Prune_removes_only_untagged_images_unless_all()
    {
        await using var temp = await TempStore.CreateAsync();
        await ImportAsync(temp.Store, "keep");
        var dangling = await RootfsImporter.ImportDirectoryAsync(temp.Store, Rootfs, "r", new ImportOptions { Message = "dangling" }, CancellationToken.None);

        var report = await ImageRemover.PruneAsync(temp.Store, all: false, CancellationToken.None);
        Assert.Equal([dangling.Id.Value], report.Deleted.Where(d => d.StartsWith("sha256:", StringComparison.Ordinal) && d == dangling.Id.Value));
        Assert.Single(await temp.Store.ListAsync(CancellationToken.None));

        await ImageRemover.PruneAsync(temp.Store, all: true, CancellationToken.None);
        Assert.Empty(await temp.Store.ListAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Check_finds_a_corrupt_layer_and_repair_removes_the_damaged_image()
    {
        await using var temp = await TempStore.CreateAsync();
        var image = await ImportAsync(temp.Store, "a");
        var blob = Path.Combine(temp.Root, "blobs", "sha256", image.Manifest.Layers[0].Digest.Encoded);
        File.SetUnixFileMode(blob, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        await using (var f = new FileStream(blob, FileMode.Open, FileAccess.ReadWrite))
        {
            f.Position = 20;
            f.WriteByte(0x42);
        }

        var report = await StoreChecker.CheckAsync(temp.Store, repair: false, verifyDiffIds: false, CancellationToken.None);
        Assert.True(report.HasFaults);
        Assert.Contains(report.Findings, f => f.Message.Contains(image.Manifest.Layers[0].Digest.Value, StringComparison.Ordinal) && f.Severity == CheckSeverity.Fault);

        var repaired = await StoreChecker.CheckAsync(temp.Store, repair: true, verifyDiffIds: false, CancellationToken.None);
        Assert.False(repaired.HasFaults);
        Assert.Contains(repaired.Repairs, r => r.Contains(image.Id.Value, StringComparison.Ordinal));
        Assert.Null(await temp.Store.TryGetAsync("a", CancellationToken.None));
    }

    [Fact]
    public async Task Unreferenced_blobs_are_unused_not_faults_and_repair_removes_them()
    {
        await using var temp = await TempStore.CreateAsync();
        await ImportAsync(temp.Store, "a");
        var orphan = await Strata.Content.ContentStoreExtensions.WriteBlobAsync(temp.Store.Content, "application/octet-stream", "orphan"u8.ToArray(), CancellationToken.None);

        var report = await StoreChecker.CheckAsync(temp.Store, repair: false, verifyDiffIds: false, CancellationToken.None);
        Assert.False(report.HasFaults);
        Assert.Contains(report.Findings, f => f.Severity == CheckSeverity.Garbage && f.Message.Contains(orphan.Digest.Value, StringComparison.Ordinal));

        var repaired = await StoreChecker.CheckAsync(temp.Store, repair: true, verifyDiffIds: false, CancellationToken.None);
        Assert.Empty(repaired.Findings);
        Assert.Null(await temp.Store.Content.InfoAsync(orphan.Digest, CancellationToken.None));
    }

    [Fact]
    public async Task Repair_with_a_grace_period_keeps_young_unreferenced_blobs_for_writers_still_running()
    {
        await using var temp = await TempStore.CreateAsync();
        var young = await Strata.Content.ContentStoreExtensions.WriteBlobAsync(temp.Store.Content, "application/octet-stream", "in flight"u8.ToArray(), CancellationToken.None);
        var old = await Strata.Content.ContentStoreExtensions.WriteBlobAsync(temp.Store.Content, "application/octet-stream", "left behind"u8.ToArray(), CancellationToken.None);
        // Explicit ages against the store's fixed clock (a blob's mtime is its commit time), not
        // "whatever the wall clock says, the fixed clock is behind it".
        CommittedAgo(young.Digest, TimeSpan.FromMinutes(59));
        CommittedAgo(old.Digest, TimeSpan.FromMinutes(61));
        var kept = await StoreChecker.CheckAsync(temp.Store, repair: true, verifyDiffIds: false, CancellationToken.None, keepUnreferencedYoungerThan: TimeSpan.FromHours(1));

        Assert.NotNull(await temp.Store.Content.InfoAsync(young.Digest, CancellationToken.None));
        Assert.Null(await temp.Store.Content.InfoAsync(old.Digest, CancellationToken.None));
        Assert.Contains(kept.Findings, f => f.Severity == CheckSeverity.Garbage && f.Message.Contains(young.Digest.Value, StringComparison.Ordinal));
        Assert.False(kept.HasFaults);

        void CommittedAgo(Digest blob, TimeSpan age)
        {
            var path = Path.Combine(temp.Root, "blobs", "sha256", blob.Encoded);
            Assert.True(File.Exists(path), path);
            File.SetLastWriteTimeUtc(path, (TempStore.FixedNow - age).UtcDateTime);
        }
    }

    [Fact]
    public async Task Two_store_handles_importing_at_once_both_succeed()
    {
        await using var temp = await TempStore.CreateAsync();
        var other = await temp.ReopenAsync();
        var jobs = Enumerable.Range(0, 4).Select(i => RootfsImporter.ImportDirectoryAsync(i % 2 == 0 ? temp.Store : other, Rootfs, "r",
            new ImportOptions { Tag = ImageReference.Parse($"c{i}"), Message = $"m{i}" }, CancellationToken.None));

        var images = await Task.WhenAll(jobs);

        Assert.Equal(4, images.Select(i => i.Id).Distinct().Count());
        Assert.Equal(4, (await temp.Store.ListAsync(CancellationToken.None)).Count);
        Assert.False((await StoreChecker.CheckAsync(temp.Store, repair: false, verifyDiffIds: false, CancellationToken.None)).HasFaults);
    }

    [Fact]
    public async Task Index_json_names_each_tag_for_oci_tools()
    {
        await using var temp = await TempStore.CreateAsync();
        var image = await ImportAsync(temp.Store, "busybox:1");
        await temp.Store.TagAsync("busybox:1", "localhost:5000/me/bb:2", CancellationToken.None);

        var index = Strata.Oci.OciJson.DeserializeIndex(await File.ReadAllBytesAsync(temp.Store.Layout.IndexJson), "index.json");

        Assert.All(index.Manifests, m => Assert.Equal(image.Record.ManifestDigest, m.Digest));
        Assert.Equal(["busybox:1", "localhost:5000/me/bb:2"], index.Manifests.Select(m => m.Annotation(StoreAnnotations.RefName)).Order(StringComparer.Ordinal));
        Assert.True(File.Exists(Path.Combine(temp.Root, "oci-layout")));
    }

    [Fact]
    public async Task Images_resolve_by_name_full_id_and_unique_prefix()
    {
        await using var temp = await TempStore.CreateAsync();
        var image = await ImportAsync(temp.Store, "me/app:1.0");

        foreach (var name in new[] { "me/app:1.0", "docker.io/me/app:1.0", image.Id.Value, image.Id.ShortHex, image.Id.Encoded[..4] })
            Assert.Equal(image.Id, (await temp.Store.GetAsync(name, CancellationToken.None)).Id);
        var ex = await Assert.ThrowsAsync<NotFoundException>(() => temp.Store.GetAsync("me/app:2.0", CancellationToken.None));
        Assert.Equal("No such image: me/app:2.0", ex.Message);
    }
}
