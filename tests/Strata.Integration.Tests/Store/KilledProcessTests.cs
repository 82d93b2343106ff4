using System.Text.RegularExpressions;
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
        Assert.Equal("checked 3 blobs, 1 images, 1 unpacked layers: 0 faults, 0 unused items\n", await _ws.AssertCheckPassesAsync());
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
        Assert.Equal("checked 3 blobs, 1 images, 1 unpacked layers: 0 faults, 0 unused items\n", await _ws.AssertCheckPassesAsync());
        AssertNothingLeft();
    }

    [Fact]
    public async Task System_check_reports_what_a_killed_build_left_and_repair_removes_it()
    {
        await _ws.ImportBusyboxAsync("busy:1");
        string context = _ws.Scratch.NewDir("ctx");
        await File.WriteAllTextAsync(Path.Combine(context, "Dockerfile"), $"FROM busy:1\nRUN echo {_marker} && sleep 3000\n");
        int pid = await KillWhenPrintedAsync(["build", "--progress", "plain", context]);

        // check opens the store as it is (every other command reaps first): the step's container
        // died with the build, its state, mount, snapshot and directory are what is left.
        var check = await _ws.Strata.RunAsync("system", "check");
        Assert.Equal(0, check.ExitCode);
        string owner = $@"{pid}\.\d+", gone = $"left by strata process {pid}, which is gone";
        string mounts = Regex.Escape(Path.Combine(_ws.Strata.StoreRoot, "runtime", "mounts"));
        Assert.Matches(new Regex(
            $@"^unused: build container strata-build-{owner}-[0-9a-f]{{16}} \(runtime state\) {gone}\n" +
            $@"unused: mount {mounts}/{owner}/strata-mount-[0-9a-f]{{12}} {gone}\n" +
            $@"unused: snapshot build-{owner}-[0-9a-f]{{32}} {gone}\n" +
            $@"unused: directory {mounts}/{owner} {gone}\n" +
            @"checked 3 blobs, 1 images, 1 unpacked layers: 0 faults, 4 unused items\n$"), check.Stdout);
        Assert.Equal([], StoreLeftovers.Processes(_ws.Strata.StoreRoot, _marker));
        // Left mounted: the step's root filesystem, and the network namespace its RUN had on the
        // default network (pinned in the runtime's bundle directory, where repair finds it).
        var left = StoreLeftovers.Mounts(_ws.Strata.StoreRoot);
        Assert.Equal(2, left.Count);
        Assert.Single(left, m => m.StartsWith(Path.Combine(_ws.Strata.StoreRoot, "runtime", "mounts") + "/", StringComparison.Ordinal));
        Assert.Single(left, m => m.StartsWith(Path.Combine(_ws.Strata.StoreRoot, "runtime"), StringComparison.Ordinal) && m.EndsWith("/netns", StringComparison.Ordinal));

        var repair = await _ws.Strata.RunAsync("system", "check", "--repair");
        Assert.Equal(0, repair.ExitCode);
        Assert.Equal(check.Stdout.Replace("unused: ", "repaired: removed ", StringComparison.Ordinal).Replace(
            "checked 3 blobs, 1 images, 1 unpacked layers: 0 faults, 4 unused items\n",
            "repaired: rewrote index.json\nchecked 3 blobs, 1 images, 1 unpacked layers: 0 faults, 0 unused items\n", StringComparison.Ordinal), repair.Stdout);
        AssertNothingLeft();
        Assert.Equal("checked 3 blobs, 1 images, 1 unpacked layers: 0 faults, 0 unused items\n", await _ws.AssertCheckPassesAsync());
    }

    [Fact]
    public async Task System_check_reports_a_run_rm_killed_mid_run_and_repair_removes_the_container()
    {
        await _ws.ImportBusyboxAsync("busy:1");
        int pid = await KillWhenPrintedAsync(["run", "--rm", "--name", "killed-rm", "busy:1", "sh", "-c", $"echo {_marker} && sleep 3000"]);

        // The killed run also left its (empty) mount directory, where it unpacked the image.
        var check = await _ws.Strata.RunAsync("system", "check");
        Assert.Equal(0, check.ExitCode);
        string gone = $"left by strata process {pid}, which is gone";
        string directory = $@"directory {Regex.Escape(Path.Combine(_ws.Strata.StoreRoot, "runtime", "mounts"))}/{pid}\.\d+ {gone}";
        Assert.Matches(new Regex(
            $"^unused: container killed-rm is recorded as running, but strata process {pid}, which ran it, is gone\n" +
            $"unused: {directory}\n" +
            "checked 3 blobs, 1 images, 1 unpacked layers: 0 faults, 2 unused items\n$"), check.Stdout);

        var repair = await _ws.Strata.RunAsync("system", "check", "--repair");
        Assert.Equal(0, repair.ExitCode);
        Assert.Matches(new Regex(
            $@"^repaired: removed container killed-rm \(--rm\), left running by strata process {pid}, which is gone\n" +
            $"repaired: removed {directory}\n" +
            "repaired: rewrote index.json\n" +
            "checked 3 blobs, 1 images, 1 unpacked layers: 0 faults, 0 unused items\n$"), repair.Stdout);
        AssertNothingLeft();
        Assert.Equal("", await _ws.Strata.OkAsync("ps", "-a", "-q"));
    }

    [Fact]
    public async Task A_detached_container_under_its_monitor_is_no_leftover()
    {
        await _ws.ImportBusyboxAsync("busy:1");
        string id = (await _ws.Strata.OkAsync("run", "-d", "--name", "alive", "busy:1", "sh", "-c", $"sleep 3000; : {_marker}")).TrimEnd('\n');

        // Every command reaps on open, check reports: neither touches a container whose monitor lives.
        Assert.Equal("busy 1\n", await _ws.Strata.OkAsync("images", "--format", "{{.Repository}} {{.Tag}}"));
        Assert.Equal("checked 3 blobs, 1 images, 1 unpacked layers: 0 faults, 0 unused items\n", await _ws.AssertCheckPassesAsync());
        Assert.Equal($"{id[..12]} running\n", await _ws.Strata.OkAsync("ps", "--format", "{{.ID}} {{.State}}"));
        Assert.Contains(StoreLeftovers.Processes(_ws.Strata.StoreRoot, _marker), p => p.Contains(_marker, StringComparison.Ordinal));

        await _ws.Strata.OkAsync("rm", "-f", "alive");
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
    private async Task<int> KillWhenPrintedAsync(string[] arguments)
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
        return process.Id;
    }
}
