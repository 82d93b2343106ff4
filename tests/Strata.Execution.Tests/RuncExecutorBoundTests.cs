using System.Diagnostics;
using System.Globalization;
using System.Text;
using Strata.Core;
using Strata.Execution.Tests.Fixtures;

namespace Strata.Execution.Tests;

/// <summary>
/// Containers bound to their caller (<see cref="ContainerSpec.BoundToCaller"/>, a build step's)
/// and the reaping of what a gone caller left (<see cref="RuncExecutor.ReapAsync"/>): real runc,
/// as root. That a bound container dies with a SIGKILLed caller is shown with the real strata
/// binary in Strata.Integration.Tests (Store/KilledProcessTests): the caller here is the test.
/// </summary>
public sealed class RuncExecutorBoundTests : IDisposable
{
    private readonly TempDir _temp = new();
    private readonly string _rootfs;
    private readonly RuncExecutor _executor;

    /// <summary>A sleep of a length no other test uses: finds the container's processes in /proc.</summary>
    private readonly string _sleep = (7000 + Random.Shared.Next(2000)).ToString(CultureInfo.InvariantCulture);

    public RuncExecutorBoundTests()
    {
        _rootfs = ExecutionRootfs.Create(_temp.PathOf("rootfs"));
        _executor = RuncExecutor.Create(new RuncOptions { StateDirectory = _temp.PathOf("state"), BundleDirectory = _temp.PathOf("bundles") });
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_bound_container_passes_output_and_exit_code_through_and_leaves_no_state()
    {
        using var stdout = new RecordingStream();
        using var stderr = new RecordingStream();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var result = await _executor.RunAsync(Specs.Shell(_rootfs, "echo out; echo err >&2; exit 3") with { BoundToCaller = true }, null, stdout, stderr, timeout.Token);
        Assert.Equal(3, result.ExitCode);
        Assert.Equal("out\n", stdout.Text);
        Assert.Equal("err\n", stderr.Text);
        Assert.Equal([], RuncExecutor.StateIds(_executor.StateDirectory));
        Assert.Empty(Directory.GetFileSystemEntries(_temp.PathOf("bundles")));
    }

    [Fact]
    public async Task Cancelling_a_bound_container_kills_every_process_of_it_and_leaves_no_state()
    {
        var spec = Specs.Shell(_rootfs, $"sleep {_sleep} & echo started; wait") with { BoundToCaller = true };
        using var stdout = new MarkerStream("started");
        using var cancel = new CancellationTokenSource();
        var run = _executor.RunAsync(spec, null, stdout, Stream.Null, cancel.Token);
        await Task.WhenAny(stdout.Seen, run);
        Assert.True(stdout.Seen.IsCompleted, "the container ended before it printed started");
        await AssertAppearsAsync(Sleepers);

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);

        await AssertGoneAsync(Sleepers);
        Assert.Equal([], RuncExecutor.StateIds(_executor.StateDirectory));
        Assert.Empty(Directory.GetFileSystemEntries(_temp.PathOf("bundles")));
    }

    [Fact]
    public async Task A_bound_container_cannot_have_a_terminal()
    {
        var spec = Specs.Run(_rootfs, "true") with { BoundToCaller = true };
        spec = spec with { Process = spec.Process with { Terminal = true } };
        var e = await Assert.ThrowsAsync<InvalidArgumentException>(() => _executor.RunAsync(spec, null, Stream.Null, Stream.Null, CancellationToken.None));
        Assert.Equal($"container {spec.Id} is bound to its caller and cannot have a terminal", e.Message);
    }

    [Fact]
    public async Task Reaping_kills_the_runtime_and_the_container_a_caller_left_and_removes_its_state()
    {
        // An unbound container (a foreground run): its runtime outlives a killed caller, so the
        // next command reaps it. The test plays both: the caller that starts it, the command that reaps.
        var spec = Specs.Shell(_rootfs, $"sleep {_sleep} & echo started; wait");
        using var stdout = new MarkerStream("started");
        var run = _executor.RunAsync(spec, null, stdout, Stream.Null, CancellationToken.None);
        await Task.WhenAny(stdout.Seen, run);
        Assert.True(stdout.Seen.IsCompleted, "the container ended before it printed started");
        Assert.Equal([spec.Id], RuncExecutor.StateIds(_executor.StateDirectory));
        await AssertAppearsAsync(Sleepers);

        await _executor.ReapAsync(spec.Id);

        await AssertGoneAsync(Sleepers);
        await AssertGoneAsync(RuntimeProcesses);
        Assert.Equal([], RuncExecutor.StateIds(_executor.StateDirectory));
        Assert.Equal(128 + 9, (await run).ExitCode);
        Assert.False(Directory.Exists(Path.Combine(_temp.PathOf("bundles"), spec.Id)));
    }

    [Fact]
    public async Task Reaping_a_container_that_is_gone_does_nothing()
    {
        await _executor.ReapAsync("t-never-there");
        Assert.Equal([], RuncExecutor.StateIds(_executor.StateDirectory));
    }

    /// <summary>
    /// Waits until <paramref name="find"/> finds exactly one process. "started" is printed once the
    /// shell has forked the background sleep, which may not have exec'd sleep yet (its cmdline is
    /// still the shell's); CI once read /proc in that gap. Fails after 30 s.
    /// </summary>
    private static async Task AssertAppearsAsync(Func<List<int>> find) =>
        Assert.Single(await PollAsync(find, found => found.Count > 0));

    /// <summary>
    /// Waits until <paramref name="find"/> finds no process: a SIGKILLed process may still be
    /// exiting for a moment on a loaded machine. Fails with the pids still there after 30 s,
    /// far beyond any exit, so only a process that was never killed fails it.
    /// </summary>
    private static async Task AssertGoneAsync(Func<List<int>> find) =>
        Assert.Empty(await PollAsync(find, left => left.Count == 0));

    /// <summary>What <paramref name="find"/> finds once <paramref name="done"/> holds, or after 30 s.</summary>
    private static async Task<List<int>> PollAsync(Func<List<int>> find, Func<List<int>, bool> done)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var found = find();
        while (!done(found) && !timeout.IsCancellationRequested)
        {
            await Task.Delay(20, CancellationToken.None);
            found = find();
        }
        return found;
    }

    /// <summary>Live processes running this test's sleep.</summary>
    private List<int> Sleepers() => Processes(args => args.Length == 2 && args[0] == "sleep" && args[1] == _sleep);

    /// <summary>Live runtime processes on this test's state directory.</summary>
    private List<int> RuntimeProcesses() => Processes(args => args.Contains(_executor.StateDirectory));

    private static List<int> Processes(Func<string[], bool> match)
    {
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out int pid)) continue;
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                if (stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z')) continue;
                var args = Encoding.UTF8.GetString(File.ReadAllBytes(Path.Combine(dir, "cmdline"))).TrimEnd('\0').Split('\0');
                if (match(args)) found.Add(pid);
            }
            catch (IOException)
            {
                // ended while read
            }
        }
        return found;
    }
}
