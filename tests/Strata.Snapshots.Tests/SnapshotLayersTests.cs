using Strata.Archive;
using Strata.Core;
using Strata.Snapshots.Tests.Fixtures;

namespace Strata.Snapshots.Tests;

/// <summary>Unpacking layer tars into committed snapshots, with both snapshotters.</summary>
public sealed class SnapshotLayersTests : IAsyncLifetime
{
    private readonly SnapshotRoot _root = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _root.DisposeAsync();

    private ISnapshotter Create(string kind) => SnapshotterFactory.Create(Path.Combine(_root.Path, kind), kind);

    [Theory]
    [InlineData("overlay")]
    [InlineData("copy")]
    public async Task Applied_layers_stack_with_their_deletions_and_opaque_directories(string kind)
    {
        var snapshotter = Create(kind);
        byte[] first = await TestLayers.TarAsync(_root, t =>
        {
            Trees.Write(t, "bin/sh", "shell");
            Trees.Write(t, "etc/passwd", "root");
            Trees.Write(t, "opt/app/v1", "1");
        });
        byte[] second = await TestLayers.TarAsync(_root, t =>
        {
            Directory.CreateDirectory(Path.Combine(t, "etc"));
            TestLayers.Whiteout(t, "etc/passwd");
            TestLayers.Opaque(t, "opt/app");
            Trees.Write(t, "opt/app/v2", "2");
        });

        await TestLayers.ApplyTarAsync(snapshotter, "l1", null, first, _root.Path);
        await TestLayers.ApplyTarAsync(snapshotter, "l2", "l1", second, _root.Path);
        await snapshotter.ViewAsync("view", "l2", CancellationToken.None);
        var mount = await _root.MountAsync(await snapshotter.MountsAsync("view", CancellationToken.None));

        var paths = TreeManifest.Capture(mount.Target).Select(e => e.Path);
        Assert.Equal(["bin", "bin/sh", "etc", "opt", "opt/app", "opt/app/v2"], paths);
        Assert.Equal(SnapshotKind.Committed, (await snapshotter.StatAsync("l2", CancellationToken.None))!.Kind);
    }

    [Fact]
    public async Task A_failing_apply_leaves_no_snapshot_behind()
    {
        var snapshotter = Create("overlay");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => SnapshotLayers.ApplyAsync(snapshotter, "broken", null,
            (target, _) =>
            {
                File.WriteAllText(Path.Combine(target, "partial"), "x");
                throw new InvalidOperationException("layer is corrupt");
            }, _root.Path, CancellationToken.None));

        var left = new List<string>();
        await foreach (var info in snapshotter.ListAsync(CancellationToken.None)) left.Add(info.Key);
        Assert.Equal("layer is corrupt", error.Message);
        Assert.Empty(left);
        Assert.DoesNotContain(Directory.EnumerateDirectories(_root.Path), d => Path.GetFileName(d).StartsWith("strata-mount-"));
    }

    [Fact]
    public async Task Applying_to_a_name_that_exists_fails_before_anything_is_applied()
    {
        var snapshotter = Create("overlay");
        byte[] tar = await TestLayers.TarAsync(_root, t => Trees.Write(t, "f", "x"));
        await TestLayers.ApplyTarAsync(snapshotter, "l1", null, tar, _root.Path);
        bool applied = false;

        await Assert.ThrowsAsync<AlreadyExistsException>(() => SnapshotLayers.ApplyAsync(snapshotter, "l1", null,
            (_, _) => { applied = true; return Task.CompletedTask; }, _root.Path, CancellationToken.None));

        Assert.False(applied);
    }
}
