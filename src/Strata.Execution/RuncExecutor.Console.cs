using System.Diagnostics;
using Microsoft.Win32.SafeHandles;
using Strata.Core;

namespace Strata.Execution;

/// <summary>
/// A pseudo-terminal that strata owns instead of runc (docker's <c>-t</c> without <c>-i</c>, and
/// every detached <c>-t</c>): the runtime makes the process detached (<c>create</c> then
/// <c>start</c>, or <c>exec -d</c>) and sends the pty master over <c>--console-socket</c>. This process, a child
/// subreaper, inherits the orphaned process, copies the master to the output stream (one stream:
/// a terminal has no separate stderr), keeps the master open until the process exits (so a shell
/// waiting for input sees neither EOF nor SIGHUP) and reads the exit status with waitpid. Nothing
/// is ever written to the master: the process gets no input, as docker gives none without -i.
/// </summary>
public sealed partial class RuncExecutor
{
    private Task<ExecutionResult> RunWithConsoleSocketAsync(string id, string bundle, string? pidFile, Stream output, CancellationToken ct)
    {
        var log = Path.Combine(bundle, "runtime.log");
        // create, then start once the pty has its size: a process that asks at once sees it.
        return RunOnConsoleAsync(
            (socket, pid) => ["--root", _options.StateDirectory, "--log", log, "--log-format", "json", "create", "--console-socket", socket, "--pid-file", pid, "--bundle", bundle, id],
            pidFile, log, $"container {id}", id, output, () => StartCreatedAsync(id, log), ct);
    }

    private async Task StartCreatedAsync(string id, string log)
    {
        if (await RunHelperAsync(["--root", _options.StateDirectory, "--log", log, "--log-format", "json", "start", id]).ConfigureAwait(false) == 0) return;
        var error = ReadRuntimeErrors(log);
        throw new ContainerStartException($"container {id}: {RuntimeName}: {(error.Length > 0 ? error : "start failed")}") { ContainerId = id };
    }

    /// <summary>
    /// Starts the runtime with <paramref name="arguments"/> (given the socket and pid file paths),
    /// takes the pty master and the process, and copies its output until it has exited.
    /// </summary>
    private async Task<ExecutionResult> RunOnConsoleAsync(
        Func<string, string, List<string>> arguments, string? pidFile, string log, string what, string id, Stream output, Func<Task>? start, CancellationToken ct)
    {
        TerminalNative.BecomeSubreaper();
        using var socket = ConsoleSocket.Listen();
        pidFile ??= Path.Combine(socket.Directory, "process.pid");
        var clock = Stopwatch.StartNew();
        using var master = await StartOnConsoleAsync(arguments(socket.SocketPath, pidFile), socket, log, what, id, ct).ConfigureAwait(false);
        int pid = int.Parse(await File.ReadAllTextAsync(pidFile, CancellationToken.None).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
        // docker sizes the pty like the client's terminal; with none it stays 0x0.
        if (TerminalNative.TryGetSize(1, out var size)) TerminalNative.SetSize(master, size);
        if (start is not null)
        {
            try
            {
                await start().ConfigureAwait(false);
            }
            catch
            {
                // The created process is this process's child: it must not stay behind as a zombie.
                TerminalNative.Kill(pid);
                TerminalNative.Reap(pid);
                throw;
            }
        }

        var gate = new Lock();
        bool exited = false;
        void KillUnlessExited()
        {
            lock (gate)
            {
                if (!exited) TerminalNative.Kill(pid);
            }
        }
        var wait = Task.Factory.StartNew(() =>
        {
            TerminalNative.WaitExitedNoReap(pid);
            lock (gate)
            {
                exited = true;
                return TerminalNative.Reap(pid);
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        var pump = Task.Factory.StartNew(() => CopyTerminal(master, output, KillUnlessExited), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        int exitCode;
        using (ct.Register(KillUnlessExited))
            exitCode = await wait.ConfigureAwait(false);
        clock.Stop();
        // The pump ends at EIO once the last holder of the pty's slave side is gone.
        await pump.ConfigureAwait(false);
        ct.ThrowIfCancellationRequested();
        return new ExecutionResult(exitCode, clock.Elapsed);
    }

    /// <summary>Runs the runtime until it has started the process detached; returns the pty master it sent.</summary>
    private async Task<SafeFileHandle> StartOnConsoleAsync(List<string> args, ConsoleSocket socket, string log, string what, string id, CancellationToken ct)
    {
        using var runtime = Process.Start(NewStartInfo(RuntimePath, args))
            ?? throw new ContainerStartException($"could not start {RuntimePath} for {what}") { ContainerId = id };
        runtime.StandardInput.Close();
        var stdout = runtime.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = runtime.StandardError.ReadToEndAsync(CancellationToken.None);
        using var stopAccepting = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var receive = socket.ReceiveMasterAsync(stopAccepting.Token);
        // Creating (or exec -d) is short and bounded; the process itself runs on after this.
        await runtime.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        var said = (await stdout.ConfigureAwait(false) + await stderr.ConfigureAwait(false)).Trim();
        if (runtime.ExitCode != 0)
        {
            await stopAccepting.CancelAsync().ConfigureAwait(false);
            try
            {
                (await receive.ConfigureAwait(false)).Dispose();
            }
            catch (OperationCanceledException)
            {
            }
            catch (ContainerStartException)
            {
            }
            catch (System.Net.Sockets.SocketException)
            {
            }
            var error = ReadRuntimeErrors(log) is { Length: > 0 } e ? e : FirstLine(said);
            throw new ContainerStartException($"{what}: {RuntimeName}: {error}") { ContainerId = id };
        }
        // A runtime that exited 0 has already sent the master (its init did while being set up).
        return await receive.WaitAsync(HelperTimeout, CancellationToken.None).ConfigureAwait(false);
    }

    private static void CopyTerminal(SafeFileHandle master, Stream output, Action kill)
    {
        var buffer = new byte[CopyBufferSize];
        try
        {
            int n;
            while ((n = TerminalNative.ReadMaster(master, buffer)) > 0)
            {
                output.Write(buffer, 0, n);
                output.Flush();
            }
        }
        catch
        {
            // A failing sink must not leave the process running, as with the pipes.
            kill();
            throw;
        }
    }
}
