using Strata.Execution.Tests.Fixtures;

namespace Strata.Execution.Tests;

/// <summary>
/// A terminal without input (<c>-t</c> alone): runc sends the pty master over its console
/// socket, the executor copies it to the stdout sink and collects the exit as the subreaper.
/// </summary>
public sealed class RuncExecutorTerminalTests : IDisposable
{
    private readonly TempDir _temp = new();
    private readonly string _rootfs;
    private readonly RuncExecutor _executor;

    public RuncExecutorTerminalTests()
    {
        _rootfs = ExecutionRootfs.Create(_temp.PathOf("rootfs"));
        _executor = RuncExecutor.Create(new RuncOptions { StateDirectory = _temp.PathOf("state"), BundleDirectory = _temp.PathOf("bundles") });
    }

    public void Dispose() => _temp.Dispose();

    private static ContainerSpec OnTerminal(ContainerSpec spec) => spec with { Process = spec.Process with { Terminal = true } };

    [Fact]
    public async Task The_process_sees_a_terminal_its_output_is_merged_into_stdout_and_its_exit_code_passes()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var stdout = new RecordingStream();
        using var stderr = new RecordingStream();
        var result = await _executor.RunAsync(OnTerminal(Specs.Shell(_rootfs, "[ -t 0 ] && [ -t 1 ] && [ -t 2 ] && echo tty; echo err >&2; exit 3")), null, stdout, stderr, timeout.Token);
        Assert.Equal(3, result.ExitCode);
        Assert.Equal("tty\r\nerr\r\n", stdout.Text);
        Assert.Equal("", stderr.Text);
        Assert.Empty(Directory.GetFileSystemEntries(_temp.PathOf("state")));
        Assert.Empty(Directory.GetFileSystemEntries(_temp.PathOf("bundles")));
    }

    [Fact]
    public async Task Cancelling_kills_the_process_on_a_terminal_and_removes_the_container()
    {
        using var cancel = new CancellationTokenSource();
        using var stdout = new RecordingStream();
        var run = _executor.RunAsync(OnTerminal(Specs.Shell(_rootfs, "echo ready; exec sleep 1000")), null, stdout, Stream.Null, cancel.Token);
        for (int i = 0; i < 600 && !stdout.Text.Contains("ready", StringComparison.Ordinal); i++) await Task.Delay(100);
        Assert.Contains("ready", stdout.Text);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.Empty(Directory.GetFileSystemEntries(_temp.PathOf("state")));
        Assert.Empty(Directory.GetFileSystemEntries(_temp.PathOf("bundles")));
    }

    [Fact]
    public async Task A_failing_sink_kills_the_process_on_a_terminal_and_surfaces_the_error()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await Assert.ThrowsAsync<IOException>(() => _executor.RunAsync(OnTerminal(Specs.Shell(_rootfs, "echo first; exec sleep 1000")), null, new FailingStream(), Stream.Null, timeout.Token));
        Assert.Empty(Directory.GetFileSystemEntries(_temp.PathOf("state")));
    }

    [Fact]
    public async Task A_missing_executable_on_a_terminal_is_a_start_error_naming_it()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var error = await Assert.ThrowsAsync<ContainerStartException>(() => _executor.RunAsync(OnTerminal(Specs.Run(_rootfs, "/no/such/tool")), null, Stream.Null, Stream.Null, timeout.Token));
        Assert.Contains("/no/such/tool", error.Message);
    }
}
