using System.Diagnostics;
using Strata.Build.IntegrationTests.Fixtures;
using Strata.Containers.Tests.Fixtures;

namespace Strata.Containers.Tests.Cli;

/// <summary>
/// docker's sig-proxy: an attached <c>run</c> passes the signals it gets (Ctrl-C is SIGINT) to the
/// container's process, waits for it, and exits with its code; it does not kill the container.
/// </summary>
[Collection(ContainerGroup.Name)]
public sealed class SignalProxyTests(ContainerStore store)
{
    [Theory]
    [InlineData("INT", 7)]
    [InlineData("TERM", 8)]
    [InlineData("HUP", 9)]
    public async Task A_signal_to_an_attached_run_reaches_the_container_which_decides_the_exit_code(string signal, int code)
    {
        var script = $"trap 'echo got-{signal}; exit {code}' {signal}; echo ready; while :; do sleep 0.1; done";
        var name = "sigproxy-" + signal.ToLowerInvariant();
        using var strata = store.Cli.Start(["run", "--rm", "--name", name, "base:1", "sh", "-c", script]);
        var stderr = strata.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            Assert.Equal("ready", await strata.StandardOutput.ReadLineAsync(timeout.Token));
            Send(signal, strata.Id);
            var rest = await strata.StandardOutput.ReadToEndAsync(timeout.Token);
            await strata.WaitForExitAsync(timeout.Token);

            Assert.Equal($"got-{signal}\n", rest);
            Assert.True(code == strata.ExitCode, $"exit {strata.ExitCode}, stderr: {await stderr}");
            Assert.DoesNotContain("cancelled", await stderr, StringComparison.Ordinal);
        }
        finally
        {
            // A strata that died on the signal (the bug this guards against) leaves its container running.
            await store.Cli.RunAsync("rm", "-f", name);
        }
    }

    private static void Send(string signal, int pid) =>
        ProcessRunner.RunAsync("/bin/kill", "-" + signal, pid.ToString(System.Globalization.CultureInfo.InvariantCulture)).GetAwaiter().GetResult().EnsureSuccess();
}
