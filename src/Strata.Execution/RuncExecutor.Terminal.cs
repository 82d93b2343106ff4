using System.Diagnostics;
using Strata.Core;

namespace Strata.Execution;

/// <summary>
/// A container with a pseudo-terminal (<c>run -t</c>): runc in the foreground allocates the pty
/// itself, puts its own terminal (when its stdin is one) into raw mode and copies between the pty
/// and its stdio. So runc gets this process's real stdout and stderr (a terminal, a pipe, or a
/// detached container's log file), and its real stdin only when input is wanted (<c>-i</c>).
/// </summary>
public sealed partial class RuncExecutor
{
    private async Task<ExecutionResult> RunWithTerminalAsync(string id, string bundle, string? pidFile, bool interactive, CancellationToken ct)
    {
        var log = Path.Combine(bundle, "runtime.log");
        List<string> args = ["--root", _options.StateDirectory, "--log", log, "--log-format", "json", "run", "--bundle", bundle];
        if (pidFile is not null) args.AddRange(["--pid-file", pidFile]);
        var psi = new ProcessStartInfo(RuntimePath) { UseShellExecute = false, RedirectStandardInput = !interactive, WorkingDirectory = bundle };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.ArgumentList.Add(id);
        using var runtime = new Process { StartInfo = psi };
        var clock = Stopwatch.StartNew();
        if (!runtime.Start())
            throw new ContainerStartException($"could not start {RuntimePath} for container {id}") { ContainerId = id };
        if (!interactive) runtime.StandardInput.Close();
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
