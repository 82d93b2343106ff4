using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Strata.Core;
using Strata.Core.Unix;

namespace Strata.Execution.Rootless;

/// <summary>
/// Runs a command (strata itself) inside a new user and mount namespace, as buildah's and
/// podman's <c>unshare</c> do. A multi-threaded process cannot unshare its user namespace, so
/// util-linux <c>unshare</c> creates both (mounts private, capabilities kept across its exec)
/// and execs the command, which then waits on a FIFO until this process, still outside, has
/// written its id maps (only a process outside may use newuidmap on it). The handshake:
/// the child opens <c>ready</c> for writing once it runs inside; this side maps it and then
/// writes one byte to <c>go</c>.
/// </summary>
public static class UserNamespaceLauncher
{
    /// <summary>The environment variable naming the handshake directory, for <see cref="CompleteEntry"/>.</summary>
    public const string SyncVariable = "STRATA_USERNS_SYNC";

    /// <summary>
    /// Runs <paramref name="command"/> with <paramref name="arguments"/> in the namespaces of
    /// <paramref name="plan"/> and returns its exit code. Standard streams are inherited;
    /// SIGTERM and SIGHUP are passed on (a terminal's Ctrl-C reaches the child by itself).
    /// <paramref name="syncParent"/> is a directory only the user can write (the handshake FIFOs live there briefly).
    /// </summary>
    public static async Task<int> RunAsync(UserNamespacePlan plan, string command, IReadOnlyList<string> arguments,
        IReadOnlyDictionary<string, string> environment, string syncParent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(environment);
        string sync = Path.Combine(syncParent, "userns-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(sync, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        try
        {
            string ready = Path.Combine(sync, "ready"), go = Path.Combine(sync, "go");
            Libc.Mkfifo(ready, 0x180);
            Libc.Mkfifo(go, 0x180);
            var start = new ProcessStartInfo(plan.Unshare) { UseShellExecute = false };
            foreach (string a in (string[])["--user", "--mount", "--propagation", "private", "--keep-caps", "--", command, .. arguments])
                start.ArgumentList.Add(a);
            foreach (var (name, value) in environment) start.Environment[name] = value;
            start.Environment[SyncVariable] = sync;
            using var child = Process.Start(start) ?? throw new FailedPreconditionException($"could not start {plan.Unshare}");
            using var forward = Forward(child);
            var readyTask = Task.Run(() => WaitReady(ready), cancellationToken);
            var exited = child.WaitForExitAsync(CancellationToken.None);
            if (await Task.WhenAny(readyTask, exited).ConfigureAwait(false) == exited)
            {
                // unshare failed and said why on stderr; release the reader blocked on the FIFO.
                using (new FileStream(ready, FileMode.Open, FileAccess.Write)) { }
                await readyTask.ConfigureAwait(false);
                throw new FailedPreconditionException($"could not enter a user namespace: {plan.Unshare} exited with {child.ExitCode.ToString(CultureInfo.InvariantCulture)}");
            }
            await readyTask.ConfigureAwait(false);
            try
            {
                await MapAsync(plan, child.Id, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                child.Kill();
                throw;
            }
            using (var g = new FileStream(go, FileMode.Open, FileAccess.Write)) g.WriteByte(1);
            await exited.ConfigureAwait(false);
            return child.ExitCode;
        }
        finally
        {
            Directory.Delete(sync, recursive: true);
        }
    }

    /// <summary>
    /// Runs <paramref name="command"/> in the user and mount namespaces of process
    /// <paramref name="pid"/> (a detached container's monitor, still in the namespaces an earlier
    /// strata entered), as podman joins its pause process: util-linux <c>nsenter</c> enters the
    /// user namespace first (its owner, this user, may) and then the mount namespace, and runs
    /// the command as root there. Returns its exit code; signals are passed on as for
    /// <see cref="RunAsync"/>.
    /// </summary>
    public static async Task<int> JoinAsync(string nsenter, int pid, string command, IReadOnlyList<string> arguments,
        IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(environment);
        var start = new ProcessStartInfo(nsenter) { UseShellExecute = false };
        foreach (string a in (string[])["--target", pid.ToString(CultureInfo.InvariantCulture), "--user", "--mount", "--", command, .. arguments])
            start.ArgumentList.Add(a);
        foreach (var (name, value) in environment) start.Environment[name] = value;
        using var child = Process.Start(start) ?? throw new FailedPreconditionException($"could not start {nsenter}");
        using var forward = Forward(child);
        await child.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        return child.ExitCode;
    }

    /// <summary>
    /// Called first thing by the command started inside: tells the outside it runs in the new
    /// namespaces and waits until its ids are mapped. False when this process was not started by
    /// <see cref="RunAsync"/>. The variable is removed so nothing started later sees it.
    /// </summary>
    public static bool CompleteEntry(string? sync)
    {
        if (string.IsNullOrEmpty(sync)) return false;
        using (var ready = new FileStream(Path.Combine(sync, "ready"), FileMode.Open, FileAccess.Write)) ready.WriteByte(1);
        using var go = new FileStream(Path.Combine(sync, "go"), FileMode.Open, FileAccess.Read);
        if (go.ReadByte() != 1) throw new FailedPreconditionException("the user namespace was not set up: its id maps were not written");
        Environment.SetEnvironmentVariable(SyncVariable, null);
        return true;
    }

    private static void WaitReady(string ready)
    {
        using var stream = new FileStream(ready, FileMode.Open, FileAccess.Read);
        stream.ReadByte();
    }

    private static async Task MapAsync(UserNamespacePlan plan, int pid, CancellationToken cancellationToken)
    {
        string proc = "/proc/" + pid.ToString(CultureInfo.InvariantCulture);
        if (plan.NewUidMap is null || plan.NewGidMap is null)
        {
            // One's own id may be mapped without help, once setgroups is denied (the kernel's rule).
            await File.WriteAllTextAsync(proc + "/setgroups", "deny", cancellationToken).ConfigureAwait(false);
            await File.WriteAllTextAsync(proc + "/uid_map", Lines(plan.UidMappings), cancellationToken).ConfigureAwait(false);
            await File.WriteAllTextAsync(proc + "/gid_map", Lines(plan.GidMappings), cancellationToken).ConfigureAwait(false);
            return;
        }
        await RunHelperAsync(plan.NewUidMap, pid, plan.UidMappings, cancellationToken).ConfigureAwait(false);
        await RunHelperAsync(plan.NewGidMap, pid, plan.GidMappings, cancellationToken).ConfigureAwait(false);
    }

    private static string Lines(IReadOnlyList<IdMapping> mappings) =>
        string.Concat(mappings.Select(m => string.Join(' ', m.Arguments()) + "\n"));

    private static async Task RunHelperAsync(string helper, int pid, IReadOnlyList<IdMapping> mappings, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(helper) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(pid.ToString(CultureInfo.InvariantCulture));
        foreach (var m in mappings) foreach (string a in m.Arguments()) start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new FailedPreconditionException($"could not start {helper}");
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        string message = ((await stderr.ConfigureAwait(false)).Trim() + " " + (await stdout.ConfigureAwait(false)).Trim()).Trim();
        if (process.ExitCode != 0)
            throw new FailedPreconditionException($"{Path.GetFileName(helper)} refused the mapping: {message.Split('\n')[0]}");
    }

    private static Registrations Forward(Process child)
    {
        var registrations = new Registrations();
        foreach (var (signal, number) in (ReadOnlySpan<(PosixSignal, int)>)[(PosixSignal.SIGTERM, 15), (PosixSignal.SIGHUP, 1), (PosixSignal.SIGQUIT, 3)])
        {
            registrations.Add(PosixSignalRegistration.Create(signal, context =>
            {
                context.Cancel = true;
                TerminalNative.Signal(child.Id, number);
            }));
        }
        // Ctrl-C at a terminal reaches the whole process group: the child decides; this side waits for it.
        registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGINT, context => context.Cancel = true));
        return registrations;
    }

    private sealed class Registrations : List<PosixSignalRegistration>, IDisposable
    {
        public void Dispose()
        {
            foreach (var r in this) r.Dispose();
        }
    }
}
