using System.Diagnostics;
using Strata.Core;

namespace Strata.Execution;

/// <summary>
/// A container with a pseudo-terminal and input (<c>run -it</c>, whose stdin the CLI has checked
/// is a terminal): runc in the foreground allocates the pty itself, puts strata's terminal into
/// raw mode, forwards window size changes and copies between the pty and its stdio, which are
/// this process's real ones. Without input (<c>-t</c> alone) see <c>RuncExecutor.Console.cs</c>.
/// </summary>
public sealed partial class RuncExecutor
{
    private async Task<ExecutionResult> RunWithTerminalAsync(string id, string bundle, string? pidFile, CancellationToken ct)
    {
        var log = Path.Combine(bundle, "runtime.log");
        List<string> args = ["--root", _options.StateDirectory, "--log", log, "--log-format", "json", "run", "--bundle", bundle];
        if (pidFile is not null) args.AddRange(["--pid-file", pidFile]);
        var psi = new ProcessStartInfo(RuntimePath) { UseShellExecute = false, WorkingDirectory = bundle };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.ArgumentList.Add(id);
        using var runtime = new Process { StartInfo = psi };
        var clock = Stopwatch.StartNew();
        if (!runtime.Start())
            throw new ContainerStartException($"could not start {RuntimePath} for container {id}") { ContainerId = id };
        try
        {
            await runtime.WaitForExitAsync(ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await KillAsync(id, runtime).ConfigureAwait(false);
            throw;
        }
        int exitCode = runtime.ExitCode;
        if (exitCode != 0 && ReadRuntimeErrors(log) is { Length: > 0 } error)
            throw new ContainerStartException($"container {id}: {RuntimeName}: {error}") { ContainerId = id };
        return new ExecutionResult(exitCode, clock.Elapsed);
    }
}
