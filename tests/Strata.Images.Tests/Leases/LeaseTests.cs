using System.Diagnostics;
using Strata.Content;
using Strata.Core;
using Strata.Images.Checking;
using Strata.Images.Leases;

namespace Strata.Images.Tests.Leases;

/// <summary>Leases across store handles (as across processes) and after their process died.</summary>
public sealed class LeaseTests
{
    private static async Task<Digest> WriteLooseBlobAsync(ImageStore store, string text) =>
        (await store.Content.WriteBlobAsync("application/octet-stream", System.Text.Encoding.UTF8.GetBytes(text), CancellationToken.None)).Digest;

    /// <summary>The pid of a process that has ended.</summary>
    private static async Task<int> DeadPidAsync()
    {
        using var process = Process.Start(new ProcessStartInfo("/bin/true") { UseShellExecute = false })!;
        await process.WaitForExitAsync();
        return process.Id;
    }

    [Fact]
    public async Task A_live_lease_keeps_an_unreferenced_blob_from_system_check_repair_until_it_ends()
    {
        await using var temp = await TempStore.CreateAsync();
        var blob = await WriteLooseBlobAsync(temp.Store, "held");
        var other = await temp.ReopenAsync();
        var lease = other.Leases.Begin();
        await lease.AddAsync(LeaseResourceKind.Blob, blob.Value, CancellationToken.None);

        var whileHeld = await StoreChecker.CheckAsync(temp.Store, repair: true, verifyDiffIds: false, CancellationToken.None);
        Assert.NotNull(await temp.Store.Content.InfoAsync(blob, CancellationToken.None));
        Assert.DoesNotContain(whileHeld.Repairs, r => r.Contains(blob.Value, StringComparison.Ordinal));

        await lease.DisposeAsync();
        var after = await StoreChecker.CheckAsync(temp.Store, repair: true, verifyDiffIds: false, CancellationToken.None);

        Assert.Contains($"removed blob {blob}", after.Repairs);
        Assert.Null(await temp.Store.Content.InfoAsync(blob, CancellationToken.None));
    }

    [Fact]
    public async Task A_lease_whose_process_is_gone_holds_nothing_and_the_next_sweep_forgets_it()
    {
        await using var temp = await TempStore.CreateAsync();
        var blob = await WriteLooseBlobAsync(temp.Store, "orphan");
        var dead = new LeaseOwner(await DeadPidAsync(), StartTime: 1);
        await temp.Store.Leases.AddAsync("lease-dead", LeaseResourceKind.Blob, blob.Value, dead, CancellationToken.None);
        var live = await temp.Store.Leases.ReadAsync(CancellationToken.None);

        Assert.Empty(live.Blobs);
        var check = await StoreChecker.CheckAsync(temp.Store, repair: false, verifyDiffIds: false, CancellationToken.None);
        Assert.Contains(check.Findings, f => f.Message == $"blob {blob} (6 bytes) is referenced by no image");
        await temp.Store.Leases.SweepAsync((_, _) => Task.FromResult(0), CancellationToken.None);
        var rows = await temp.Store.Metadata.ReadAsync(async (c, ct) =>
        {
            await using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT COUNT(*) FROM lease_resources";
            return Convert.ToInt64(await cmd.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
        }, CancellationToken.None);
        Assert.Equal(0L, rows);
    }

    [Fact]
    public async Task A_lease_of_this_process_with_another_start_time_is_a_reused_pid_and_holds_nothing()
    {
        await using var temp = await TempStore.CreateAsync();
        var blob = await WriteLooseBlobAsync(temp.Store, "reused");
        var impostor = LeaseOwner.Current with { StartTime = LeaseOwner.Current.StartTime + 1 };
        await temp.Store.Leases.AddAsync("lease-reused", LeaseResourceKind.Blob, blob.Value, impostor, CancellationToken.None);
        await temp.Store.Leases.AddAsync("lease-live", LeaseResourceKind.Snapshot, "live-snapshot", LeaseOwner.Current, CancellationToken.None);

        var live = await temp.Store.Leases.ReadAsync(CancellationToken.None);

        Assert.Empty(live.Blobs);
        Assert.Equal(["live-snapshot"], live.Snapshots);
    }
}
