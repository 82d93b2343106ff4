using Strata.Execution.Tests.Fixtures;

namespace Strata.Execution.Tests;

/// <summary>
/// <see cref="IContainerRuntime"/> as Strata.Containers holds it, over real runc: a running
/// container is listed, takes an exec and a signal, and is gone (and forgettable) once it ended.
/// </summary>
public sealed class ContainerRuntimeTests : IDisposable
{
    private readonly TempDir _temp = new();
    private readonly string _rootfs;
    private readonly IContainerRuntime _runtime;

    public ContainerRuntimeTests()
    {
        _rootfs = ExecutionRootfs.Create(_temp.PathOf("rootfs"));
        _runtime = RuncExecutor.Create(new RuncOptions { StateDirectory = _temp.PathOf("state"), BundleDirectory = _temp.PathOf("bundles") });
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_running_container_is_listed_execs_and_dies_by_signal_then_is_forgotten()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var spec = Specs.Shell(_rootfs, "echo ready; while true; do sleep 1; done");
        var stdout = new FirstWriteStream();
        var run = _runtime.RunAsync(spec, null, stdout, Stream.Null, timeout.Token);
        await stdout.Written.WaitAsync(timeout.Token);

        var listed = await _runtime.ListAsync(timeout.Token);
        Assert.Equal("running", listed[spec.Id].Status);
        Assert.True(listed[spec.Id].Pid > 0);

        Assert.Equal(7, await _runtime.ExecAsync(new ExecRequest(spec.Id, ["/bin/sh", "-c", "exit 7"]), timeout.Token));

        Assert.True(await _runtime.SignalAsync(spec.Id, "KILL"));
        var result = await run.WaitAsync(timeout.Token);
        Assert.Equal(137, result.ExitCode);

        Assert.False((await _runtime.ListAsync(timeout.Token)).ContainsKey(spec.Id));
        Assert.False(await _runtime.SignalAsync(spec.Id, "TERM"));
        await _runtime.ForgetAsync(spec.Id);
        Assert.False(Directory.Exists(Path.Combine(_temp.PathOf("bundles"), spec.Id)));
    }
}
