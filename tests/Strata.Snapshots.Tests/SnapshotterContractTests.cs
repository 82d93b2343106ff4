using Strata.Archive;
using Strata.Core;
using Strata.Core.Unix;
using Strata.Snapshots.Files;
using Strata.Snapshots.Tests.Fixtures;

namespace Strata.Snapshots.Tests;

/// <summary>
/// The contract of <see cref="ISnapshotter"/>, run by every implementation (containerd's
/// snapshots/testsuite idea): what a tree looks like through the returned mounts, and how keys,
/// names and kinds behave. Needs root: every test mounts.
/// </summary>
public abstract class SnapshotterContractTests : IAsyncLifetime
{
    private protected SnapshotterContractTests() => StoreRoot = Path.Combine(Root.Path, "store");

    private protected SnapshotRoot Root { get; } = new();

    private protected string StoreRoot { get; }

    private protected abstract ISnapshotter Create(string root);

    private ISnapshotter? _snapshotter;

    private protected ISnapshotter Snapshotter => _snapshotter ??= Create(StoreRoot);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await Root.DisposeAsync();

    private static CancellationToken None => CancellationToken.None;

    /// <summary>Prepares <paramref name="key"/>, lets <paramref name="write"/> change the mounted tree, unmounts and commits as <paramref name="name"/>.</summary>
    private protected async Task CommitLayerAsync(string name, string? parent, Action<string> write)
    {
        string key = name + "-active";
        var mount = await Root.MountAsync(await Snapshotter.PrepareAsync(key, parent, None));
        write(mount.Target);
        await mount.DisposeAsync();
        await Snapshotter.CommitAsync(name, key, None);
    }

    /// <summary>Runs <paramref name="check"/> on a read-only view of <paramref name="name"/>, then removes the view.</summary>
    private protected async Task<T> InViewAsync<T>(string name, Func<string, T> check)
    {
        string key = "view-" + Guid.NewGuid().ToString("N")[..8];
        var mount = await Root.MountAsync(await Snapshotter.ViewAsync(key, name, None));
        try
        {
            return check(mount.Target);
        }
        finally
        {
            await mount.DisposeAsync();
            await Snapshotter.RemoveAsync(key, None);
        }
    }

    [Fact]
    public async Task Prepare_on_nothing_gives_an_empty_writable_tree()
    {
        var mount = await Root.MountAsync(await Snapshotter.PrepareAsync("a", null, None));

        Assert.Empty(Directory.EnumerateFileSystemEntries(mount.Target));
        File.WriteAllText(Path.Combine(mount.Target, "hello"), "world");
        Assert.Equal("world", File.ReadAllText(Path.Combine(mount.Target, "hello")));
        var info = await Snapshotter.StatAsync("a", None);
        Assert.Equal(SnapshotKind.Active, info!.Kind);
        Assert.Null(info.Parent);
    }

    [Fact]
    public async Task A_child_sees_the_files_its_committed_parent_wrote()
    {
        await CommitLayerAsync("base", null, t => Trees.Write(t, "etc/os-release", "strata"));
        var mount = await Root.MountAsync(await Snapshotter.PrepareAsync("child", "base", None));

        Assert.Equal("strata", File.ReadAllText(Path.Combine(mount.Target, "etc/os-release")));
        Assert.Null(await Snapshotter.StatAsync("base-active", None));
        var base_ = await Snapshotter.StatAsync("base", None);
        Assert.Equal(SnapshotKind.Committed, base_!.Kind);
        Assert.Equal("base", (await Snapshotter.StatAsync("child", None))!.Parent);
    }

    [Fact]
    public async Task Mounts_returns_the_same_mounts_as_prepare()
    {
        await CommitLayerAsync("base", null, t => Trees.Write(t, "f", "1"));
        var prepared = await Snapshotter.PrepareAsync("child", "base", None);

        var again = await Snapshotter.MountsAsync("child", None);

        Assert.Equal(prepared.Select(m => m.ToString()), again.Select(m => m.ToString()));
    }

    [Fact]
    public async Task Deleting_a_parent_file_in_a_child_hides_it_only_in_the_child()
    {
        await CommitLayerAsync("base", null, t =>
        {
            Trees.Write(t, "keep", "k");
            Trees.Write(t, "gone", "g");
        });
        await CommitLayerAsync("child", "base", t => File.Delete(Path.Combine(t, "gone")));

        string child = await InViewAsync("child", Trees.Describe);
        string parent = await InViewAsync("base", Trees.Describe);

        Assert.DoesNotContain("gone", child);
        Assert.Contains("keep", child);
        Assert.Contains("gone", parent);
    }

    [Fact]
    public async Task Replacing_a_directory_in_a_child_hides_all_of_its_old_contents()
    {
        await CommitLayerAsync("base", null, t =>
        {
            Trees.Write(t, "app/old1", "1");
            Trees.Write(t, "app/sub/old2", "2");
        });
        await CommitLayerAsync("child", "base", t =>
        {
            Directory.Delete(Path.Combine(t, "app"), recursive: true);
            Trees.Write(t, "app/new", "n");
        });
        await CommitLayerAsync("grandchild", "child", t => Trees.Write(t, "other", "o"));

        var files = await InViewAsync("grandchild", t => Directory.GetFileSystemEntries(Path.Combine(t, "app")).Select(Path.GetFileName).ToList());
        var old = await InViewAsync("base", t => File.Exists(Path.Combine(t, "app/sub/old2")));

        Assert.Equal(["new"], files);
        Assert.True(old);
    }

    [Fact]
    public async Task A_view_is_read_only()
    {
        await CommitLayerAsync("base", null, t => Trees.Write(t, "f", "1"));
        await CommitLayerAsync("child", "base", t => Trees.Write(t, "g", "2"));

        foreach (string parent in new[] { "base", "child" })
        {
            var mount = await Root.MountAsync(await Snapshotter.ViewAsync("view-" + parent, parent, None));
            var error = Assert.ThrowsAny<IOException>(() => File.WriteAllText(Path.Combine(mount.Target, "new"), "x"));
            Assert.Contains("Read-only", error.Message, StringComparison.OrdinalIgnoreCase);
            Assert.Equal(SnapshotKind.View, (await Snapshotter.StatAsync("view-" + parent, None))!.Kind);
        }
        var empty = await Root.MountAsync(await Snapshotter.ViewAsync("empty-view", null, None));
        Assert.ThrowsAny<IOException>(() => File.WriteAllText(Path.Combine(empty.Target, "new"), "x"));
    }

    [Fact]
    public async Task Removing_a_parent_that_has_children_is_refused()
    {
        await CommitLayerAsync("base", null, t => Trees.Write(t, "f", "1"));
        await Snapshotter.PrepareAsync("child", "base", None);

        var error = await Assert.ThrowsAsync<FailedPreconditionException>(() => Snapshotter.RemoveAsync("base", None));
        Assert.Contains("child", error.Message);
        Assert.NotNull(await Snapshotter.StatAsync("base", None));

        await Snapshotter.RemoveAsync("child", None);
        await Snapshotter.RemoveAsync("base", None);
        Assert.Null(await Snapshotter.StatAsync("base", None));
    }

    [Fact]
    public async Task Committing_anything_but_an_active_snapshot_fails_with_a_clear_error()
    {
        await CommitLayerAsync("base", null, t => Trees.Write(t, "f", "1"));
        await Snapshotter.ViewAsync("view", "base", None);

        var ofView = await Assert.ThrowsAsync<FailedPreconditionException>(() => Snapshotter.CommitAsync("x", "view", None));
        var ofCommitted = await Assert.ThrowsAsync<FailedPreconditionException>(() => Snapshotter.CommitAsync("y", "base", None));
        var ofMissing = await Assert.ThrowsAsync<NotFoundException>(() => Snapshotter.CommitAsync("z", "missing", None));

        Assert.Equal("snapshot view is view, only an active snapshot can be committed", ofView.Message);
        Assert.Contains("base is committed", ofCommitted.Message);
        Assert.Contains("missing", ofMissing.Message);
        Assert.Equal(SnapshotKind.View, (await Snapshotter.StatAsync("view", None))!.Kind);
    }

    [Fact]
    public async Task Keys_and_names_share_one_namespace_and_parents_must_be_committed()
    {
        await CommitLayerAsync("base", null, t => Trees.Write(t, "f", "1"));
        await Snapshotter.PrepareAsync("active", "base", None);

        await Assert.ThrowsAsync<AlreadyExistsException>(() => Snapshotter.PrepareAsync("base", null, None));
        await Assert.ThrowsAsync<AlreadyExistsException>(() => Snapshotter.ViewAsync("active", null, None));
        await Assert.ThrowsAsync<FailedPreconditionException>(() => Snapshotter.PrepareAsync("x", "active", None));
        await Assert.ThrowsAsync<NotFoundException>(() => Snapshotter.PrepareAsync("y", "nope", None));
        await Assert.ThrowsAsync<InvalidArgumentException>(() => Snapshotter.PrepareAsync("", null, None));
        await Snapshotter.PrepareAsync("other", null, None);
        await Assert.ThrowsAsync<AlreadyExistsException>(() => Snapshotter.CommitAsync("base", "other", None));

        Assert.Null(await Snapshotter.StatAsync("x", None));
        Assert.Equal(SnapshotKind.Active, (await Snapshotter.StatAsync("other", None))!.Kind);
    }

    [Fact]
    public async Task A_chain_of_128_layers_mounts_and_shows_the_top_file_and_a_file_from_layer_1()
    {
        string? parent = null;
        for (int i = 1; i <= 128; i++)
        {
            string name = $"layer-{i}";
            int n = i;
            // Write through the upper directory: this test is about mounting the chain, and
            // mounting 128 times to fill it would only slow it down.
            await Snapshotter.PrepareAsync(name + "-active", parent, None);
            Trees.Write(Snapshotter.UpperDirectory(name + "-active"), $"l{n}", $"content {n}");
            await Snapshotter.CommitAsync(name, name + "-active", None);
            parent = name;
        }

        var mounts = await Snapshotter.PrepareAsync("top", parent, None);
        var mount = await Root.MountAsync(mounts);

        Assert.Equal("content 128", File.ReadAllText(Path.Combine(mount.Target, "l128")));
        Assert.Equal("content 1", File.ReadAllText(Path.Combine(mount.Target, "l1")));
        Assert.Equal(128, Directory.GetFiles(mount.Target).Length);
        Trees.Write(mount.Target, "l1", "changed on top");
        Assert.Equal("content 1", await InViewAsync("layer-1", t => File.ReadAllText(Path.Combine(t, "l1"))));
        Assert.Equal("content 1", await InViewAsync("layer-128", t => File.ReadAllText(Path.Combine(t, "l1"))));
    }

    [Fact]
    public async Task Concurrent_prepares_from_two_tasks_make_two_snapshots_and_one_key_only_once()
    {
        await CommitLayerAsync("base", null, t => Trees.Write(t, "f", "1"));
        var other = Create(StoreRoot);   // a second instance: like a second process on the root

        var distinct = await Task.WhenAll(
            Task.Run(() => Snapshotter.PrepareAsync("a", "base", None)),
            Task.Run(() => other.PrepareAsync("b", "base", None)));
        var same = await Task.WhenAll(Enumerable.Range(0, 2).Select(i => Task.Run(async () =>
        {
            try
            {
                await (i == 0 ? Snapshotter : other).PrepareAsync("same", "base", None);
                return "ok";
            }
            catch (AlreadyExistsException)
            {
                return "exists";
            }
        })));

        Assert.NotEqual(distinct[0][0].ToString(), distinct[1][0].ToString());
        Assert.Equal(["exists", "ok"], same.Order());
        var keys = new List<string>();
        await foreach (var info in Snapshotter.ListAsync(None)) keys.Add(info.Key);
        Assert.Equal(["a", "b", "base", "same"], keys.Order());
    }

    [Fact]
    public async Task A_snapshot_left_active_by_a_crash_is_removed_with_its_files()
    {
        await CommitLayerAsync("base", null, t => Trees.Write(t, "f", "1"));
        var mount = await Root.MountAsync(await Snapshotter.PrepareAsync("crashed", "base", None));
        Trees.Write(mount.Target, "half/written", "x");
        File.Delete(Path.Combine(mount.Target, "f"));
        await mount.DisposeAsync();
        string upper = Snapshotter.UpperDirectory("crashed");
        // A prepare that died between creating its directory and recording it.
        string orphan = Path.Combine(StoreRoot, "snapshots", "999");
        Directory.CreateDirectory(Path.Combine(orphan, "fs"));

        var restarted = Create(StoreRoot);
        await restarted.RemoveAsync("crashed", None);

        Assert.Null(await restarted.StatAsync("crashed", None));
        Assert.False(Directory.Exists(upper));
        Assert.False(Directory.Exists(orphan));
        Assert.Equal("1", await InViewAsync("base", t => File.ReadAllText(Path.Combine(t, "f"))));
    }

    [Fact]
    public async Task List_returns_every_snapshot_in_creation_order_and_stat_of_a_missing_key_is_null()
    {
        await CommitLayerAsync("base", null, t => Trees.Write(t, "f", "1"));
        await Snapshotter.PrepareAsync("active", "base", None);
        await Snapshotter.ViewAsync("view", "base", None);

        var infos = new List<SnapshotInfo>();
        await foreach (var info in Snapshotter.ListAsync(None)) infos.Add(info);

        Assert.Equal(["base Committed ", "active Active base", "view View base"], infos.Select(i => $"{i.Key} {i.Kind} {i.Parent}"));
        Assert.Null(await Snapshotter.StatAsync("missing", None));
        Assert.All(infos, i => Assert.Empty(i.Labels));
    }

    [Fact]
    public async Task Usage_counts_the_bytes_and_inodes_of_the_snapshot()
    {
        await CommitLayerAsync("base", null, t =>
        {
            File.WriteAllBytes(Path.Combine(t, "big"), new byte[100_000]);
            Directory.CreateDirectory(Path.Combine(t, "dir"));
            Libc.Link(Path.Combine(t, "big"), Path.Combine(t, "dir/link"));
        });

        var usage = await Snapshotter.UsageAsync("base", None);

        Assert.Equal(3, usage.Inodes);   // the root, big (= dir/link), dir
        Assert.InRange(usage.Bytes, 100_000, 100_000 + 3 * 8192);
        await Assert.ThrowsAsync<NotFoundException>(() => Snapshotter.UsageAsync("missing", None));
    }

    [Fact]
    public async Task Owners_modes_xattrs_links_and_devices_survive_into_a_child()
    {
        await CommitLayerAsync("base", null, t =>
        {
            Trees.Write(t, "bin/tool", "#!/bin/sh\n");
            Libc.Lchown(Path.Combine(t, "bin/tool"), 1000, 1001);
            Libc.Chmod(Path.Combine(t, "bin/tool"), 0x9ED);   // 04755
            Libc.Lsetxattr(Path.Combine(t, "bin/tool"), "user.note", "v"u8);
            Libc.Link(Path.Combine(t, "bin/tool"), Path.Combine(t, "bin/tool2"));
            File.CreateSymbolicLink(Path.Combine(t, "bin/sh"), "tool");
            Libc.Mknod(Path.Combine(t, "null"), FileStatus.CharDevice | 0x1B6, 1, 3);
            Libc.Mknod(Path.Combine(t, "fifo"), FileStatus.Fifo | 0x1A4, 0, 0);
            Directory.CreateDirectory(Path.Combine(t, "tmp"));
            Libc.Chmod(Path.Combine(t, "tmp"), 0x3FF);        // 01777
        });
        string parent = await InViewAsync("base", t => string.Join('\n', TreeManifest.Capture(t)));

        var mount = await Root.MountAsync(await Snapshotter.PrepareAsync("child", "base", None));
        string child = string.Join('\n', TreeManifest.Capture(mount.Target));

        Assert.Equal(parent, child);
        Assert.Contains("user.note", child);
    }

    [Fact]
    public async Task The_upper_directory_becomes_a_layer_that_rebuilds_the_mounted_tree()
    {
        await CommitLayerAsync("base", null, t =>
        {
            Trees.Write(t, "keep", "k");
            Trees.Write(t, "gone", "g");
            Trees.Write(t, "app/old", "o");
            Trees.Write(t, "etc/conf", "1");
        });
        var mount = await Root.MountAsync(await Snapshotter.PrepareAsync("work", "base", None));
        File.Delete(Path.Combine(mount.Target, "gone"));
        Directory.Delete(Path.Combine(mount.Target, "app"), recursive: true);
        Trees.Write(mount.Target, "app/new", "n");
        Trees.Write(mount.Target, "etc/conf", "2");
        Trees.Write(mount.Target, "added/file", "a");
        var expected = TreeManifest.Capture(mount.Target);
        await mount.DisposeAsync();

        string parentCopy = Root.NewDirectory("parent-copy");
        await InViewAsync("base", t => { TreeCopier.Copy(t, parentCopy, None); return 0; });
        using var layer = new MemoryStream();
        var options = new LayerWriteOptions { Compression = LayerCompression.None };
        string upper = Snapshotter.UpperDirectory("work");
        if (Snapshotter.UpperDirectoryIsDiff)
            await LayerWriter.WriteOverlayUpperAsync(upper, layer, options, None);
        else
            await LayerWriter.WriteDiffAsync(parentCopy, upper, layer, options, None);
        layer.Position = 0;
        await LayerApplier.ApplyAsync(layer, parentCopy, new LayerApplyOptions(), None);

        Assert.Equal(expected, TreeManifest.Capture(parentCopy));
    }

    [Fact]
    public async Task Upper_directory_and_mounts_of_a_committed_snapshot_are_refused()
    {
        await CommitLayerAsync("base", null, t => Trees.Write(t, "f", "1"));
        await Snapshotter.ViewAsync("view", "base", None);

        Assert.Throws<FailedPreconditionException>(() => Snapshotter.UpperDirectory("base"));
        Assert.Throws<FailedPreconditionException>(() => Snapshotter.UpperDirectory("view"));
        Assert.Throws<NotFoundException>(() => Snapshotter.UpperDirectory("missing"));
        await Assert.ThrowsAsync<FailedPreconditionException>(() => Snapshotter.MountsAsync("base", None));
    }

    [Fact]
    public async Task Removing_a_snapshot_never_follows_its_symlinks_out_of_it()
    {
        string outside = Root.NewDirectory("outside");
        File.WriteAllText(Path.Combine(outside, "precious"), "p");
        await CommitLayerAsync("base", null, t =>
        {
            File.CreateSymbolicLink(Path.Combine(t, "escape"), outside);
            File.CreateSymbolicLink(Path.Combine(t, "escape-file"), Path.Combine(outside, "precious"));
        });
        await Snapshotter.PrepareAsync("child", "base", None);

        await Snapshotter.RemoveAsync("child", None);
        await Snapshotter.RemoveAsync("base", None);

        Assert.Equal("p", File.ReadAllText(Path.Combine(outside, "precious")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(StoreRoot, "snapshots")));
        await Assert.ThrowsAsync<NotFoundException>(() => Snapshotter.RemoveAsync("base", None));
    }
}
