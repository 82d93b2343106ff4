using Strata.Snapshots.Metadata;
using Strata.Snapshots.Tests.Fixtures;

namespace Strata.Snapshots.Tests;

/// <summary>
/// Snapshots written unsynced (<see cref="ISnapshotter.PrepareUnsyncedAsync"/>): real overlay
/// mounts, as root. A reboot is played by opening the same root with another boot id.
/// </summary>
public sealed class UnsyncedSnapshotTests : IAsyncLifetime
{
    private readonly SnapshotRoot _root = new();

    private string Store => Path.Combine(_root.Path, "store");

    private OverlaySnapshotter InBoot(string bootId) => new(Store, new SnapshotterOptions { BootId = bootId });

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _root.DisposeAsync();

    /// <summary>Prepares <paramref name="name"/> on <paramref name="parent"/>, writes one file through the mount, commits.</summary>
    private async Task CommitAsync(OverlaySnapshotter snapshotter, string name, string? parent, bool unsynced)
    {
        var mounts = unsynced
            ? await snapshotter.PrepareUnsyncedAsync(name + "-active", parent, CancellationToken.None)
            : await snapshotter.PrepareAsync(name + "-active", parent, CancellationToken.None);
        var mount = await _root.MountAsync(mounts);
        Trees.Write(mount.Target, name, name);
        await mount.DisposeAsync();
        await snapshotter.CommitAsync(name, name + "-active", CancellationToken.None);
    }

    private static async Task<string?> UnsyncedBootOfAsync(OverlaySnapshotter snapshotter, string key) =>
        (await snapshotter.StatAsync(key, CancellationToken.None))!.Labels.GetValueOrDefault(SnapshotRecord.UnsyncedBootLabel);

    [Fact]
    public async Task An_unsynced_snapshot_on_a_parent_mounts_volatile_and_keeps_its_boot_when_committed()
    {
        var snapshotter = InBoot("boot-a");
        await CommitAsync(snapshotter, "base", null, unsynced: false);

        var mounts = await snapshotter.PrepareUnsyncedAsync("step", "base", CancellationToken.None);
        var mount = await _root.MountAsync(mounts);
        Trees.Write(mount.Target, "file", "data");
        await mount.DisposeAsync();
        await snapshotter.CommitAsync("layer", "step", CancellationToken.None);

        Assert.Contains("volatile", Assert.Single(mounts).Options);
        Assert.Equal("boot-a", await UnsyncedBootOfAsync(snapshotter, "layer"));
        Assert.Null(await UnsyncedBootOfAsync(snapshotter, "base"));
        Assert.DoesNotContain("volatile", Assert.Single(await snapshotter.PrepareAsync("durable", "base", CancellationToken.None)).Options);
    }

    [Fact]
    public async Task After_a_reboot_unsynced_snapshots_and_those_on_them_are_gone_and_can_be_made_again()
    {
        var before = InBoot("boot-a");
        await CommitAsync(before, "base", null, unsynced: false);
        await CommitAsync(before, "step1", "base", unsynced: true);
        await CommitAsync(before, "step2", "step1", unsynced: true);
        var directories = Directory.GetDirectories(Path.Combine(Store, "snapshots")).Order().ToList();

        var after = InBoot("boot-b");
        Assert.NotNull(await after.StatAsync("base", CancellationToken.None));
        Assert.Null(await after.StatAsync("step1", CancellationToken.None));
        Assert.Null(await after.StatAsync("step2", CancellationToken.None));
        Assert.Equal(["base"], await after.ListAsync(CancellationToken.None).Select(s => s.Key).ToListAsync());

        // Made again under the same name; the lost directories are swept by that first write.
        await CommitAsync(after, "step1", "base", unsynced: true);
        Assert.Equal("boot-b", await UnsyncedBootOfAsync(after, "step1"));
        Assert.Equal(["base", "step1"], await after.ListAsync(CancellationToken.None).Select(s => s.Key).ToListAsync());
        Assert.Equal(directories[0], Directory.GetDirectories(Path.Combine(Store, "snapshots")).Order().First());
        Assert.Equal(2, Directory.GetDirectories(Path.Combine(Store, "snapshots")).Length);
        Assert.DoesNotContain(directories[1], Directory.GetDirectories(Path.Combine(Store, "snapshots")));
        Assert.DoesNotContain(directories[2], Directory.GetDirectories(Path.Combine(Store, "snapshots")));
    }

    [Fact]
    public async Task A_durable_snapshot_on_an_unsynced_chain_syncs_the_chain_so_a_reboot_keeps_both()
    {
        var before = InBoot("boot-a");
        await CommitAsync(before, "base", null, unsynced: true);
        await CommitAsync(before, "step", "base", unsynced: true);

        await before.PrepareAsync("container", "step", CancellationToken.None);

        Assert.Null(await UnsyncedBootOfAsync(before, "base"));
        Assert.Null(await UnsyncedBootOfAsync(before, "step"));
        var after = InBoot("boot-b");
        Assert.Equal(["base", "step", "container"], await after.ListAsync(CancellationToken.None).Select(s => s.Key).ToListAsync());
    }

    [Fact]
    public async Task Without_a_boot_id_nothing_is_written_unsynced()
    {
        var snapshotter = InBoot("");
        await CommitAsync(snapshotter, "base", null, unsynced: false);

        var mounts = await snapshotter.PrepareUnsyncedAsync("step", "base", CancellationToken.None);

        Assert.DoesNotContain("volatile", Assert.Single(mounts).Options);
        Assert.Null(await UnsyncedBootOfAsync(snapshotter, "step"));
    }
}
