using Strata.Core;
using Strata.Core.Unix;
using Strata.Snapshots.Tests.Fixtures;

namespace Strata.Snapshots.Tests;

public sealed class MountHelperTests : IAsyncLifetime
{
    private readonly SnapshotRoot _root = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _root.DisposeAsync();

    [Fact]
    public async Task Unmounting_a_directory_that_is_not_a_mount_point_does_nothing()
    {
        string dir = _root.NewDirectory("plain");
        File.WriteAllText(Path.Combine(dir, "f"), "x");

        await MountHelper.UnmountAllAsync(dir, CancellationToken.None);

        Assert.Equal("x", File.ReadAllText(Path.Combine(dir, "f")));
    }

    [Fact]
    public async Task A_read_only_bind_shows_the_source_and_refuses_writes_and_disposing_removes_the_target()
    {
        string source = _root.NewDirectory("source");
        File.WriteAllText(Path.Combine(source, "f"), "x");

        var mount = await _root.MountAsync([new MountSpec("bind", source, ["rbind", "ro"])]);
        Assert.Equal("x", File.ReadAllText(Path.Combine(mount.Target, "f")));
        Assert.ThrowsAny<IOException>(() => File.WriteAllText(Path.Combine(mount.Target, "g"), "y"));
        await mount.DisposeAsync();

        Assert.False(Directory.Exists(mount.Target));
        Assert.True(File.Exists(Path.Combine(source, "f")));
    }

    [Fact]
    public async Task A_failing_mount_names_the_target_and_leaves_no_directory_behind()
    {
        string missing = Path.Combine(_root.Path, "no-such-lower");
        var spec = new MountSpec("overlay", "overlay", [$"lowerdir={missing}:{missing}2"]);

        var error = await Assert.ThrowsAsync<UnixException>(() => MountHelper.MountTemporaryAsync([spec], _root.Path, CancellationToken.None));

        Assert.Contains("strata-mount-", error.Path);
        Assert.False(Directory.Exists(error.Path));
    }

    [Fact]
    public async Task Options_too_long_even_when_relative_are_refused_before_calling_the_kernel()
    {
        var lowers = Enumerable.Range(0, 400).Select(i => $"/{i}-{new string('y', 20)}");
        var spec = new MountSpec("overlay", "overlay", ["lowerdir=" + string.Join(':', lowers)]);

        var error = await Assert.ThrowsAsync<InvalidArgumentException>(() => MountHelper.MountTemporaryAsync([spec], _root.Path, CancellationToken.None));

        Assert.Contains("over the", error.Message);
    }
}
