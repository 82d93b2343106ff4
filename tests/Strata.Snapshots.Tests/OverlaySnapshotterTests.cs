using System.Text;
using Strata.Core.Unix;
using Strata.Snapshots.Tests.Fixtures;

namespace Strata.Snapshots.Tests;

/// <summary>What only the overlay snapshotter promises: its directories are layers in overlay format.</summary>
public sealed class OverlaySnapshotterTests : IAsyncLifetime
{
    private readonly SnapshotRoot _root = new();
    private readonly OverlaySnapshotter _snapshotter;

    public OverlaySnapshotterTests() => _snapshotter = new OverlaySnapshotter(Path.Combine(_root.Path, "store"));

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _root.DisposeAsync();

    private async Task CommitAsync(string name, string? parent, Action<string> write)
    {
        var mount = await _root.MountAsync(await _snapshotter.PrepareAsync(name + "-active", parent, CancellationToken.None));
        write(mount.Target);
        await mount.DisposeAsync();
        await _snapshotter.CommitAsync(name, name + "-active", CancellationToken.None);
    }

    [Fact]
    public async Task The_upper_directory_records_deletions_as_0_0_character_devices_and_replaced_directories_as_opaque()
    {
        await CommitAsync("base", null, t =>
        {
            Trees.Write(t, "gone", "g");
            Trees.Write(t, "dir/old", "o");
        });
        var mount = await _root.MountAsync(await _snapshotter.PrepareAsync("work", "base", CancellationToken.None));
        File.Delete(Path.Combine(mount.Target, "gone"));
        Directory.Delete(Path.Combine(mount.Target, "dir"), recursive: true);
        Trees.Write(mount.Target, "dir/new", "n");
        await mount.DisposeAsync();

        string upper = _snapshotter.UpperDirectory("work");
        var whiteout = Libc.Lstat(Path.Combine(upper, "gone"));
        byte[]? opaque = Libc.Lgetxattr(Path.Combine(upper, "dir"), "trusted.overlay.opaque");

        Assert.Equal(FileStatus.CharDevice, whiteout.Type);
        Assert.Equal((0L, 0L), (whiteout.RdevMajor, whiteout.RdevMinor));
        Assert.Equal("y", Encoding.ASCII.GetString(opaque!));
        Assert.Equal(["new"], Directory.GetFileSystemEntries(Path.Combine(upper, "dir")).Select(Path.GetFileName));
    }

    [Fact]
    public async Task A_128_layer_chain_is_described_with_options_over_a_page_and_still_mounts()
    {
        string? parent = null;
        for (int i = 1; i <= 128; i++)
        {
            await _snapshotter.PrepareAsync($"k{i}", parent, CancellationToken.None);
            Trees.Write(_snapshotter.UpperDirectory($"k{i}"), $"f{i}", $"{i}");
            await _snapshotter.CommitAsync($"layer-{i}", $"k{i}", CancellationToken.None);
            parent = $"layer-{i}";
        }

        var mounts = await _snapshotter.ViewAsync("view", parent, CancellationToken.None);
        string cwd = Directory.GetCurrentDirectory();
        var mount = await _root.MountAsync(mounts);

        // The description stays absolute; only the helper makes it fit (relative lowers).
        Assert.True(string.Join(',', mounts[0].Options).Length > Environment.SystemPageSize);
        Assert.Equal(128, mounts[0].Option("lowerdir")!.Split(':').Length);
        Assert.EndsWith("/fs", mounts[0].Option("lowerdir")!.Split(':')[0]);
        Assert.Equal("128", File.ReadAllText(Path.Combine(mount.Target, "f128")));
        Assert.Equal("1", File.ReadAllText(Path.Combine(mount.Target, "f1")));
        // The helper's chdir happened on its own thread with its own fs context.
        Assert.Equal(cwd, Directory.GetCurrentDirectory());
    }

    [Fact]
    public async Task Lower_directories_are_listed_top_first()
    {
        await CommitAsync("one", null, t => Trees.Write(t, "f", "one"));
        await CommitAsync("two", "one", t => Trees.Write(t, "f", "two"));

        var mounts = await _snapshotter.PrepareAsync("three", "two", CancellationToken.None);
        string[] lowers = mounts[0].Option("lowerdir")!.Split(':');
        var mount = await _root.MountAsync(mounts);

        Assert.Equal("two", File.ReadAllText(Path.Combine(lowers[0], "f")));
        Assert.Equal("one", File.ReadAllText(Path.Combine(lowers[1], "f")));
        Assert.Equal("two", File.ReadAllText(Path.Combine(mount.Target, "f")));
        Assert.Equal(_snapshotter.UpperDirectory("three"), mounts[0].Option("upperdir"));
        Assert.Contains("redirect_dir=off", mounts[0].Options);
    }

    [Fact]
    public async Task Views_of_one_layer_are_read_only_binds_and_of_more_are_overlays_without_an_upper_directory()
    {
        await CommitAsync("one", null, t => Trees.Write(t, "f", "one"));
        await CommitAsync("two", "one", t => Trees.Write(t, "g", "two"));

        var ofOne = await _snapshotter.ViewAsync("v1", "one", CancellationToken.None);
        var ofTwo = await _snapshotter.ViewAsync("v2", "two", CancellationToken.None);
        var ofNothing = await _snapshotter.PrepareAsync("a0", null, CancellationToken.None);

        Assert.Equal("bind", ofOne[0].Type);
        Assert.Equal(["rbind", "ro"], ofOne[0].Options);
        Assert.Equal("overlay", ofTwo[0].Type);
        Assert.Null(ofTwo[0].Option("upperdir"));
        Assert.Contains("ro", ofTwo[0].Options);
        Assert.Equal(["rbind", "rw"], ofNothing[0].Options);
    }

    [Fact]
    public async Task Commit_drops_the_work_directory_and_keeps_the_layer()
    {
        await _snapshotter.PrepareAsync("k", null, CancellationToken.None);
        string upper = _snapshotter.UpperDirectory("k");
        Trees.Write(upper, "f", "x");

        await _snapshotter.CommitAsync("done", "k", CancellationToken.None);

        Assert.False(Directory.Exists(Path.Combine(Path.GetDirectoryName(upper)!, "work")));
        Assert.Equal("x", File.ReadAllText(Path.Combine(upper, "f")));
    }
}
