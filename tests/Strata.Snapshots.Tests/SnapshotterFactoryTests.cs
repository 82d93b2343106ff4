using Strata.Core;
using Strata.Snapshots.Tests.Fixtures;

namespace Strata.Snapshots.Tests;

public sealed class SnapshotterFactoryTests : IAsyncLifetime
{
    private readonly SnapshotRoot _root = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _root.DisposeAsync();

    [Fact]
    public void Auto_chooses_overlay_where_the_probe_works_and_leaves_no_probe_behind()
    {
        string store = Path.Combine(_root.Path, "store");

        bool supported = OverlaySupport.IsSupported(store, out string? reason);
        var chosen = SnapshotterFactory.Create(store, "auto");

        Assert.True(supported, reason);
        Assert.Equal("overlay", chosen.Name);
        Assert.True(chosen.UpperDirectoryIsDiff);
        Assert.DoesNotContain(Directory.EnumerateDirectories(store), d => d.Contains("overlay-probe"));
    }

    [Fact]
    public void Auto_remembers_its_choice_for_the_root_and_does_not_probe_again()
    {
        string store = Path.Combine(_root.Path, "store");
        Assert.Equal("overlay", SnapshotterFactory.Create(store, "auto").Name);
        Assert.Equal("overlay\n", File.ReadAllText(Path.Combine(store, "kind")));

        // A root that once chose copy stays copy (its directories are whole trees, not diffs).
        string other = Path.Combine(_root.Path, "other");
        Directory.CreateDirectory(other);
        File.WriteAllText(Path.Combine(other, "kind"), "copy\n");
        Assert.Equal("copy", SnapshotterFactory.Create(other, "auto").Name);
        Assert.DoesNotContain(Directory.EnumerateDirectories(other), d => d.Contains("overlay-probe"));
    }

    [Fact]
    public void Copy_and_overlay_are_chosen_by_name_and_anything_else_is_an_error()
    {
        string store = Path.Combine(_root.Path, "store");

        Assert.Equal("copy", SnapshotterFactory.Create(store, "copy").Name);
        Assert.False(SnapshotterFactory.Create(store, "copy").UpperDirectoryIsDiff);
        Assert.Equal("overlay", SnapshotterFactory.Create(store, "overlay").Name);
        var error = Assert.Throws<InvalidArgumentException>(() => SnapshotterFactory.Create(store, "btrfs"));
        Assert.Equal("unknown snapshotter btrfs: expected auto, overlay, fuse-overlayfs or copy", error.Message);
    }

    [Theory]
    [InlineData("relative/root")]
    [InlineData("/tmp/a,b")]
    [InlineData("/tmp/a:b")]
    public void A_root_overlay_options_cannot_describe_is_refused(string root) =>
        Assert.Throws<InvalidArgumentException>(() => new OverlaySnapshotter(root));

    [Fact]
    public async Task Created_times_come_from_the_given_clock()
    {
        var clock = new FixedClock(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));
        var snapshotter = new CopySnapshotter(Path.Combine(_root.Path, "store"), new SnapshotterOptions { Time = clock });

        await snapshotter.PrepareAsync("a", null, CancellationToken.None);

        Assert.Equal(clock.Now, (await snapshotter.StatAsync("a", CancellationToken.None))!.Created);
    }

    [Fact]
    public async Task Metadata_from_a_newer_version_is_refused_not_guessed()
    {
        string store = Path.Combine(_root.Path, "store");
        var snapshotter = new OverlaySnapshotter(store);
        await snapshotter.PrepareAsync("a", null, CancellationToken.None);
        string metadata = Path.Combine(store, "metadata.json");
        File.WriteAllText(metadata, File.ReadAllText(metadata).Replace("\"version\": 1", "\"version\": 2"));

        var error = await Assert.ThrowsAsync<FailedPreconditionException>(() => snapshotter.StatAsync("a", CancellationToken.None));

        Assert.Contains("has version 2", error.Message);
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
