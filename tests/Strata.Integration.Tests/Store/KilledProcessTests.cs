using System.Diagnostics;
using Strata.Integration.Tests.Fixtures;

namespace Strata.Integration.Tests.Store;

/// <summary>
/// A strata process SIGKILLed while its container runs (no finally block, no cleanup) must leave
/// nothing running and nothing mounted once the next strata command on the store has run, and
/// that command must leave the store checking clean: a build's step container dies with the
/// build, and what it left (runtime state, mount, step snapshot) is reaped; a foreground
/// <c>run --rm</c> container is killed and removed as --rm asked (docker removes it too).
/// </summary>
public sealed class KilledProcessTests : IDisposable
{
    private readonly Workspace _ws = new();

    /// <summary>Unique per test run: finds the container's processes in /proc.</summary>
    private readonly string _marker = "strata-killed-" + Guid.NewGuid().ToString("N")[..12];

    [Fact]
    public async Task A_build_killed_during_a_RUN_leaves_no_process_and_no_mount_once_the_next_command_ran()
    {
        await _ws.ImportBusyboxAsync("busy:1");
        string context = _ws.Scratch.NewDir("ctx");
        // The RUN prints the marker, then waits in a child process (sleep) as real steps do.
        await File.WriteAllTextAsync(Path.Combine(context, "Dockerfile"), $"FROM busy:1\nRUN echo {_marker} && sleep 3000 && echo never\n");

        await KillWhenPrintedAsync(["build", "--progress", "plain", "-t", "killed:1", context]);

        Assert.Equal("busy 1\n", await _ws.Strata.OkAsync("images", "--format", "{{.Repository}} {{.Tag}}"));
        AssertNothingLeft();
        Assert.Equal("checked 3 blobs, 1 images, 0 unpacked layers: 0 faults, 0 unused items\n", await _ws.AssertCheckPassesAsync());
        AssertNothingLeft();
    }

    [Fact]
    public async Task A_run_rm_killed_mid_run_leaves_no_process_no_mount_and_no_container_once_the_next_command_ran()
    {
        await _ws.ImportBusyboxAsync("busy:1");

        await KillWhenPrintedAsync(["run", "--rm", "busy:1", "sh", "-c", $"echo {_marker} && sleep 3000 && echo never"]);

        Assert.Equal("busy 1\n", await _ws.Strata.OkAsync("images", "--format", "{{.Repository}} {{.Tag}}"));
        AssertNothingLeft();
        Assert.Equal("", await _ws.Strata.OkAsync("ps", "-a", "-q"));
        Assert.Equal("checked 3 blobs, 1 images, 0 unpacked layers: 0 faults, 0 unused items\n", await _ws.AssertCheckPassesAsync());
        AssertNothingLeft();
    }

    public void Dispose()
    {
        StoreLeftovers.Clear(_ws.Strata.StoreRoot, _marker);
        _ws.Dispose();
    }

    private void AssertNothingLeft()
    {
        Assert.Equal([], StoreLeftovers.Processes(_ws.Strata.StoreRoot, _marker));
        Assert.Equal([], StoreLeftovers.Mounts(_ws.Strata.StoreRoot));
    }

    /// <summary>Starts strata, waits until its container has printed the marker (so the container runs), then SIGKILLs strata alone.</summary>
    private async Task KillWhenPrintedAsync(string[] arguments)
    {
        using var process = _ws.Strata.Start(arguments);
        var printed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var readers = new[] { process.StandardOutput, process.StandardError }.Select(reader => Task.Run(async () =>
        {
            while (await reader.ReadLineAsync() is { } line)
            {
                output.Enqueue(line);
                if (line.Contains(_marker, StringComparison.Ordinal) && !line.Contains("echo", StringComparison.Ordinal)) printed.TrySetResult();
            }
        })).ToList();
        var ended = process.WaitForExitAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var first = await Task.WhenAny(printed.Task, ended, Task.Delay(Timeout.Infinite, timeout.Token));
        Assert.True(first == printed.Task, $"strata {arguments[0]} did not print {_marker} (exit {(process.HasExited ? process.ExitCode : -1)}):\n{string.Join('\n', output)}");
        process.Kill(); // SIGKILL to strata only: no finally block, no cleanup runs
        await process.WaitForExitAsync();
        Assert.Equal(128 + 9, process.ExitCode);
        // The readers are not awaited: whatever still holds strata's pipes (a surviving runtime)
        // keeps them open, and that is what the test is about, not something to wait for.
        GC.KeepAlive(readers);
    }
}
