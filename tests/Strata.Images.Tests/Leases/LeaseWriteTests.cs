using Strata.Core;
using Strata.Images.Import;
using Strata.Images.Leases;

namespace Strata.Images.Tests.Leases;

/// <summary>
/// How a lease writes its rows (issue 11, the w4 no-op rebuild): what it holds already costs no
/// write, an image's blobs are held in one write, and a row is remembered as held only once it
/// is committed, so a rolled-back add never leaves a resource unprotected. What is held is read
/// through a second store handle, as a collector in another process reads it.
/// </summary>
public sealed class LeaseWriteTests : WithRootfs
{
    [Fact]
    public async Task A_resource_added_in_a_transaction_that_rolls_back_is_written_again_by_the_next_add()
    {
        await using var temp = await TempStore.CreateAsync();
        var other = await temp.ReopenAsync();
        await using var lease = temp.Store.Leases.Begin();

        await Assert.ThrowsAsync<InvalidOperationException>(() => temp.Store.Metadata.WriteAsync<int>(async (_, ct) =>
        {
            await lease.AddAsync(LeaseResourceKind.Snapshot, "rolled-back", ct);
            throw new InvalidOperationException("the caller's transaction fails");
        }, CancellationToken.None));
        Assert.Empty((await other.Leases.ReadAsync(CancellationToken.None)).Snapshots);

        await lease.AddAsync(LeaseResourceKind.Snapshot, "rolled-back", CancellationToken.None);

        Assert.Equal(["rolled-back"], (await other.Leases.ReadAsync(CancellationToken.None)).Snapshots);
    }

    [Fact]
    public async Task An_image_looked_up_twice_in_one_lease_is_held_whole_until_the_lease_ends()
    {
        await using var temp = await TempStore.CreateAsync();
        var image = await RootfsImporter.ImportDirectoryAsync(temp.Store, Rootfs, "r", new ImportOptions { Tag = ImageReference.Parse("base:1") }, CancellationToken.None);
        var other = await temp.ReopenAsync();
        Digest[] blobs = [image.Record.ManifestDigest, image.Id, .. image.Layers.Select(l => l.Digest)];

        var lease = temp.Store.Leases.Begin();
        Assert.Equal(image.Id, (await temp.Store.TryGetAsync("base:1", CancellationToken.None))!.Id);
        Assert.Equal(image.Id, (await temp.Store.TryGetAsync("base:1", CancellationToken.None))!.Id);
        var held = await other.Leases.ReadAsync(CancellationToken.None);
        Assert.Equal(blobs.Order().ToList(), held.Blobs.Order().ToList());

        await lease.DisposeAsync();
        Assert.Empty((await other.Leases.ReadAsync(CancellationToken.None)).Blobs);
    }

    [Fact]
    public async Task A_lease_begun_after_another_ended_writes_what_the_ended_one_held()
    {
        await using var temp = await TempStore.CreateAsync();
        var other = await temp.ReopenAsync();
        await using (var first = temp.Store.Leases.Begin())
        {
            await first.AddAsync(LeaseResourceKind.CacheRecord, "key", CancellationToken.None);
        }
        Assert.Empty((await other.Leases.ReadAsync(CancellationToken.None)).CacheRecords);

        await using var second = temp.Store.Leases.Begin();
        await second.AddAsync(LeaseResourceKind.CacheRecord, "key", CancellationToken.None);

        Assert.Equal(["key"], (await other.Leases.ReadAsync(CancellationToken.None)).CacheRecords);
    }
}
