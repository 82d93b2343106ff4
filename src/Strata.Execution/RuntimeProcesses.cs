using System.Globalization;
using System.Text;
using Strata.Core.Unix;

namespace Strata.Execution;

/// <summary>
/// The runtime processes a killed strata process may leave running: every live process whose
/// command line carries <c>--root STATE</c> and the container id as an argument (a foreground
/// <c>runc run</c>, an <c>exec</c>, or the wrapper of <see cref="CallerBoundRuntime"/>, whose
/// command line holds the runtime's). Read from /proc; zombies are not counted.
/// </summary>
internal static class RuntimeProcesses
{
    public static IReadOnlyList<OwnerProcess> Find(string stateDirectory, string id)
    {
        var found = new List<OwnerProcess>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out int pid) || pid == Environment.ProcessId) continue;
            string[] args;
            try
            {
                args = Encoding.UTF8.GetString(File.ReadAllBytes(Path.Combine(dir, "cmdline"))).Split('\0');
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;   // ended while listed
            }
            int root = Array.IndexOf(args, "--root");
            if (root < 0 || root + 1 >= args.Length || args[root + 1] != stateDirectory || Array.IndexOf(args, id, root + 2) < 0) continue;
            if (OwnerProcess.Of(pid) is { } process) found.Add(process);
        }
        return found;
    }

    /// <summary>SIGKILLs each process that is still the one found (same start time), then waits until all are gone or <paramref name="timeout"/> passed.</summary>
    public static async Task KillAsync(IReadOnlyList<OwnerProcess> processes, TimeSpan timeout)
    {
        foreach (var p in processes.Where(p => p.IsAlive))
        {
            try
            {
                using var process = System.Diagnostics.Process.GetProcessById(p.Pid);
                process.Kill();
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // Gone meanwhile.
            }
        }
        var deadline = DateTime.UtcNow + timeout;
        while (processes.Any(p => p.IsAlive) && DateTime.UtcNow < deadline)
            await Task.Delay(10).ConfigureAwait(false);
    }
}
