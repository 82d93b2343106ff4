using System.Diagnostics;
using Strata.Core;
using Strata.Core.Unix;
using Strata.Snapshots.Tests.Fixtures;

namespace Strata.Snapshots.Tests;

/// <summary>The root's lock file against another process (util-linux flock(1) holding it).</summary>
public sealed class SnapshotLockTests : IAsyncLifetime
{
    private readonly SnapshotRoot _root = new();
    private Process? _holder;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_holder is { HasExited: false }) _holder.Kill(entireProcessTree: true);
        _holder?.Dispose();
        await _root.DisposeAsync();
    }

    /// <summary>Starts a process that holds the lock for <paramref name="seconds"/> and returns once it holds it.</summary>
    private async Task HoldLockInAnotherProcessAsync(string store, double seconds)
    {
        string lockPath = Path.Combine(store, "metadata.lock");
        _holder = Process.Start(new ProcessStartInfo("flock", ["-x", lockPath, "sleep", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture)]))!;
        for (int i = 0; i < 200; i++)
        {
            using var handle = Libc.OpenLockFile(lockPath, create: true);
            if (!Libc.TryFlockExclusive(handle, lockPath)) return;
            handle.Close();   // we got it first: give it back and let flock(1) take it
            await Task.Delay(10);
        }
        throw new TimeoutException("flock(1) never took the lock");
    }

    /// <summary>Polls <c>/proc/self/fd</c> (no notification exists) until a descriptor of <paramref name="path"/> is open; a generous timeout fails the test.</summary>
    private static async Task WaitUntilThisProcessOpensAsync(string path)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        while (!Directory.EnumerateFileSystemEntries("/proc/self/fd").Any(fd => OpensPath(fd, path)))
            await Task.Delay(10, timeout.Token);
    }

    private static bool OpensPath(string fd, string path)
    {
        try
        {
            return new FileInfo(fd).LinkTarget == path;
        }
        catch (IOException)
        {
            return false; // closed while we looked
        }
    }

    [Fact]
    public async Task A_prepare_waits_while_another_process_holds_the_root_lock()
    {
        string store = Path.Combine(_root.Path, "store");
        var snapshotter = new OverlaySnapshotter(store);
        // Held until the test lets go, not for a fixed time: on a loaded CI machine a timed hold
        // could run out before the check below and the prepare would rightly go through.
        await HoldLockInAnotherProcessAsync(store, 120);

        var prepare = snapshotter.PrepareAsync("a", null, CancellationToken.None);
        // The event: the prepare has opened the lock file, which it does only to wait for the flock.
        await WaitUntilThisProcessOpensAsync(Path.Combine(store, "metadata.lock"));
        bool finishedWhileHeld = prepare.IsCompleted;
        _holder!.Kill(entireProcessTree: true);   // flock(1) and the sleep that inherited its fd
        await prepare.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.False(finishedWhileHeld);
        Assert.NotNull(await snapshotter.StatAsync("a", CancellationToken.None));
    }

    [Fact]
    public async Task A_lock_held_past_the_timeout_fails_with_a_precondition_error_and_changes_nothing()
    {
        string store = Path.Combine(_root.Path, "store");
        var snapshotter = new CopySnapshotter(store, new SnapshotterOptions { LockTimeout = TimeSpan.FromMilliseconds(200) });
        await HoldLockInAnotherProcessAsync(store, 5);

        var error = await Assert.ThrowsAsync<FailedPreconditionException>(() => snapshotter.PrepareAsync("a", null, CancellationToken.None));

        Assert.Contains("locked by another process", error.Message);
        Assert.Null(await snapshotter.StatAsync("a", CancellationToken.None));
    }
}
