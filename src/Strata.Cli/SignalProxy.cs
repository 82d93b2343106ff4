using System.Runtime.InteropServices;

namespace Strata.Cli;

/// <summary>
/// docker's sig-proxy for an attached <c>run</c>: SIGINT, SIGTERM, SIGHUP and SIGQUIT sent to
/// strata go to the container's process instead of stopping strata, which keeps waiting for the
/// container and returns its exit code. As with docker, a process that ignores the signal (a
/// PID 1 without a handler ignores SIGINT) keeps running.
/// </summary>
internal static class SignalProxy
{
    private static readonly (PosixSignal Signal, string Name)[] Forwarded =
        [(PosixSignal.SIGINT, "INT"), (PosixSignal.SIGTERM, "TERM"), (PosixSignal.SIGHUP, "HUP"), (PosixSignal.SIGQUIT, "QUIT")];

    private static int _active;

    /// <summary>True while a proxy is installed: the app's Ctrl-C handler must not cancel then.</summary>
    public static bool IsActive => Volatile.Read(ref _active) > 0;

    /// <summary>Forwards the signals through <paramref name="send"/> until disposed.</summary>
    public static IDisposable Install(Func<string, Task> send)
    {
        ArgumentNullException.ThrowIfNull(send);
        var registrations = Forwarded.Select(f => PosixSignalRegistration.Create(f.Signal, context =>
        {
            context.Cancel = true;
            // Fire and forget: a signal the runtime refuses (process gone) has nothing to reach.
            _ = Task.Run(() => send(f.Name));
        })).ToList();
        Interlocked.Increment(ref _active);
        return new Installed(registrations);
    }

    private sealed class Installed(List<PosixSignalRegistration> registrations) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
            Interlocked.Decrement(ref _active);
            foreach (var r in registrations) r.Dispose();
        }
    }
}
