using System.Diagnostics;
using Strata.Core;

namespace Strata.Execution;

/// <summary>
/// Starts the runtime so that its container cannot outlive the calling process, even when that
/// process is killed with SIGKILL and runs no cleanup (<see cref="ContainerSpec.BoundToCaller"/>):
/// <code>setpriv --pdeathsig KILL -- unshare --pid --fork --kill-child --mount-proc -- runc ... run ID</code>
/// <list type="bullet">
/// <item>setpriv sets PR_SET_PDEATHSIG on itself and execs unshare, which keeps it: when the
/// caller dies, the kernel SIGKILLs unshare.</item>
/// <item>unshare forks the runtime as pid 1 of a new pid namespace and gives it a parent-death
/// SIGKILL of its own (<c>--kill-child</c>): unshare's death kills the runtime.</item>
/// <item>The container's pid namespace is nested in that one, and when the init of a pid
/// namespace dies the kernel kills every process of it and of the namespaces below: the
/// runtime's death kills the container, its init and everything the step started (a plain
/// <c>runc run</c> whose runtime is killed leaves its container running, reparented to the
/// host's init: checked with runc 1.1.5).</item>
/// <item><c>--mount-proc</c> gives the runtime a /proc of its own pid namespace (in a mount
/// namespace of its own, private, so nothing propagates back): runc reads /proc/PID of the
/// processes it starts and would read the wrong ones in the host's /proc.</item>
/// </list>
/// The price: the runtime's state records pids of that namespace, so from the host the container
/// reads as stopped and cannot be signalled or entered through the runtime; cancellation kills
/// the wrapper instead, which takes everything with it. A build step needs nothing more.
/// What the kernel cannot remove (the runtime's state directory, its cgroups, the caller's mounts)
/// is left for the next command to reap.
/// </summary>
internal static class CallerBoundRuntime
{
    /// <summary>The start info of <paramref name="runtime"/> run inside the wrapper (same stdio, directory and environment).</summary>
    /// <exception cref="NotFoundException">setpriv or unshare (util-linux) is missing.</exception>
    public static ProcessStartInfo Wrap(ProcessStartInfo runtime, IReadOnlyList<string> searchDirectories)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        var wrapped = new ProcessStartInfo(Find("setpriv", searchDirectories))
        {
            UseShellExecute = false,
            RedirectStandardInput = runtime.RedirectStandardInput,
            RedirectStandardOutput = runtime.RedirectStandardOutput,
            RedirectStandardError = runtime.RedirectStandardError,
            WorkingDirectory = runtime.WorkingDirectory,
        };
        string[] prefix = ["--pdeathsig", "KILL", "--", Find("unshare", searchDirectories), "--pid", "--fork", "--kill-child", "--mount-proc", "--", runtime.FileName];
        foreach (var a in prefix.Concat(runtime.ArgumentList)) wrapped.ArgumentList.Add(a);
        return wrapped;
    }

    /// <summary>
    /// Starts <paramref name="process"/> from a thread that lives until the process has exited.
    /// PR_SET_PDEATHSIG fires when the <i>thread</i> that forked the child ends, not the process:
    /// started from a thread-pool thread, the wrapper would be killed whenever the pool retires
    /// that thread during a long step.
    /// </summary>
    public static Task StartAsync(Process process)
    {
        ArgumentNullException.ThrowIfNull(process);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                if (!process.Start()) throw new ContainerStartException($"could not start {process.StartInfo.FileName}");
            }
            catch (Exception e)
            {
                started.SetException(e);
                return;
            }
            started.SetResult();
            process.WaitForExit();
        })
        {
            IsBackground = true,
            Name = "strata-runtime-parent",
        };
        thread.Start();
        return started.Task;
    }

    /// <summary>Cancellation: SIGKILL to the wrapper, whose death kills the runtime and the container; waits until it has exited.</summary>
    public static async Task KillAsync(Process wrapper)
    {
        ArgumentNullException.ThrowIfNull(wrapper);
        try
        {
            wrapper.Kill();
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
        await wrapper.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
    }

    private static string Find(string tool, IReadOnlyList<string> searchDirectories)
    {
        foreach (var dir in searchDirectories)
        {
            var candidate = Path.Combine(dir, tool);
            if (File.Exists(candidate)) return candidate;
        }
        throw new NotFoundException($"{tool} not found in {string.Join(":", searchDirectories)}; install the Debian package util-linux");
    }
}
