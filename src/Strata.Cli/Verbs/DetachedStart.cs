using System.CommandLine;
using System.Diagnostics;
using Strata.Containers;
using Strata.Core;

namespace Strata.Cli.Verbs;

/// <summary>
/// Starts a container under its monitor, <c>strata container-shim ID</c>, in a session of its own
/// with the container's log files as its standard output and error, so it outlives this strata
/// (and never holds this process's pipes open).
/// </summary>
internal static class DetachedStart
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    public static async Task<ContainerState> StartAsync(ParseResult parse, ContainerManager manager, ContainerState container, CancellationToken ct)
    {
        container = await manager.MarkStartingAsync(container, ct).ConfigureAwait(false);
        if (container.Status == ContainerStatus.Running) return container;
        var self = Environment.ProcessPath ?? throw new FailedPreconditionException("cannot find the strata executable to start the container's monitor");
        var psi = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[]
                 {
                     "-c", "setsid \"$0\" --root \"$1\" container-shim \"$2\" </dev/null >>\"$3\" 2>>\"$4\" &",
                     self, GlobalOptions.ResolveRoot(parse), container.Id, manager.LogPath(container, "stdout"), manager.LogPath(container, "stderr"),
                 })
            psi.ArgumentList.Add(a);
        using (var sh = Process.Start(psi) ?? throw new FailedPreconditionException("cannot start /bin/sh to launch the container's monitor"))
        {
            sh.StandardInput.Close();
            var err = await sh.StandardError.ReadToEndAsync(ct).ConfigureAwait(false);
            await sh.WaitForExitAsync(ct).ConfigureAwait(false);
            if (sh.ExitCode != 0) throw new FailedPreconditionException($"could not launch the monitor of container {container.Name}: {err.Trim()}");
        }
        return await manager.WaitStartedAsync(container, StartTimeout, ct).ConfigureAwait(false);
    }

    /// <summary>docker's codes for a process that could not start: 126 when it cannot be run, else 127.</summary>
    public static async Task<int> ReportStartFailureAsync(string message)
    {
        await Console.Error.WriteLineAsync("Error: " + message).ConfigureAwait(false);
        return message.Contains("permission denied", StringComparison.Ordinal) ? 126 : 127;
    }
}
