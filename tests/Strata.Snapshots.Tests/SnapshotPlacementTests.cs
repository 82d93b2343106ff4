using System.Diagnostics;
using Strata.Core.Unix;
using Strata.Snapshots.Tests.Fixtures;

namespace Strata.Snapshots.Tests;

/// <summary>
/// Where the filesystem puts a snapshot's inodes. On ext4 without a journal, creating files in a
/// block group where others were deleted in the last minute is quadratic (the kernel skips every
/// recently freed inode on each create): a 20,000-file RUN right after a prune went from 3 s to
/// 15 s. The snapshots directory is marked as the top of a hierarchy so each snapshot starts in a
/// block group of its own.
/// </summary>
public sealed class SnapshotPlacementTests : IAsyncLifetime
{
    private readonly SnapshotRoot _root = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _root.DisposeAsync();

    [Fact]
    public void The_snapshots_directory_is_a_top_directory_on_ext4()
    {
        var store = Path.Combine(_root.Path, "store");
        _ = new OverlaySnapshotter(store);
        var snapshots = Path.Combine(store, "snapshots");

        Assert.Equal("ext2/ext3", Run("stat", "-f", "-c", "%T", snapshots)); // CI's machines keep the store on ext4
        var attributes = Run("lsattr", "-d", snapshots).Split(' ')[0];
        Assert.Contains('T', attributes);
    }

    [Fact]
    public void Marking_is_idempotent_and_not_inherited_by_subdirectories()
    {
        var top = _root.NewDirectory("top");
        Assert.True(Libc.TryMarkTopDirectory(top));
        Assert.True(Libc.TryMarkTopDirectory(top));
        var child = Path.Combine(top, "child");
        Directory.CreateDirectory(child);

        Assert.Contains('T', Run("lsattr", "-d", top).Split(' ')[0]);
        Assert.DoesNotContain('T', Run("lsattr", "-d", child).Split(' ')[0]);
    }

    [Fact]
    public void A_path_that_is_not_a_directory_is_refused_without_an_exception()
    {
        var file = Path.Combine(_root.NewDirectory("files"), "plain");
        File.WriteAllText(file, "x");

        Assert.False(Libc.TryMarkTopDirectory(file));
        Assert.False(Libc.TryMarkTopDirectory(Path.Combine(_root.Path, "missing")));
    }

    private static string Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{program} failed: {error}");
        return output.Trim();
    }
}
