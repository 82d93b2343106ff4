using System.Diagnostics;
using System.Text.Json;
using Strata.Core;

namespace Strata.Execution;

/// <summary>
/// What detached containers need of the runtime beyond a foreground run: its own view of which
/// containers exist (<c>list</c>, the truth after strata or the machine went away), signals,
/// <c>exec</c> and forced deletion. All against Strata's private <c>--root</c>.
/// </summary>
public sealed partial class RuncExecutor
{
    /// <summary>Every container the runtime's state directory knows, by id.</summary>
    public async Task<IReadOnlyDictionary<string, RuntimeContainer>> ListAsync(CancellationToken ct)
    {
        for (int attempt = 1; ; attempt++)
        {
            var (exit, output, error) = await ListOnceAsync(ct).ConfigureAwait(false);
            if (exit == 0) return ParseList(output);
            // runc reads its state directory, then each container's: one removed in between (a
            // container ending while we list) fails the whole listing. Another look sees it gone.
            bool vanished = error.Contains("no such file or directory", StringComparison.Ordinal);
            if (!vanished || attempt == 5)
                throw new FailedPreconditionException($"{RuntimeName} list failed (exit {exit}): {FirstLine(error)}");
        }
    }

    private async Task<(int Exit, string Output, string Error)> ListOnceAsync(CancellationToken ct)
    {
        var psi = NewStartInfo(RuntimePath, ["--root", _options.StateDirectory, "list", "--format", "json"]);
        using var p = Process.Start(psi) ?? throw new ContainerStartException($"could not start {RuntimePath}");
        p.StandardInput.Close();
        var err = p.StandardError.ReadToEndAsync(ct);
        var output = await p.StandardOutput.ReadToEndAsync(ct).ConfigureAwait(false);
        await p.WaitForExitAsync(ct).ConfigureAwait(false);
        return (p.ExitCode, output, await err.ConfigureAwait(false));
    }

    private static Dictionary<string, RuntimeContainer> ParseList(string output)
    {
        var result = new Dictionary<string, RuntimeContainer>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(output)) return result;
        using var doc = JsonDocument.Parse(output);
        if (doc.RootElement.ValueKind != JsonValueKind.Array) return result;
        foreach (var item in doc.RootElement.EnumerateArray())
        {
            var id = item.GetProperty("id").GetString() ?? "";
            int pid = item.TryGetProperty("pid", out var pe) && pe.ValueKind == JsonValueKind.Number ? pe.GetInt32() : 0;
            var status = item.TryGetProperty("status", out var se) ? se.GetString() ?? "" : "";
            result[id] = new RuntimeContainer(id, pid, status);
        }
        return result;
    }

    /// <summary>Sends <paramref name="signal"/> (<c>TERM</c>, <c>KILL</c>, <c>9</c>...) to the container's init. False when the runtime refused (not running).</summary>
    public async Task<bool> SignalAsync(string id, string signal) =>
        await RunHelperAsync(["--root", _options.StateDirectory, "kill", id, signal]).ConfigureAwait(false) == 0;

    /// <summary>Forgets the container in the runtime (killing what is left of it) and removes its bundle.</summary>
    public async Task ForgetAsync(string id)
    {
        await DeleteStateAsync(id).ConfigureAwait(false);
        // A killed strata leaves its container's network namespace pinned in the bundle.
        Network.NetworkNamespace.Remove(Path.Combine(_options.BundleDirectory, id, NetnsFileName));
        TryDeleteDirectory(Path.Combine(_options.BundleDirectory, id));
    }

    /// <summary>
    /// Runs <paramref name="request"/> in the running container with strata's standard output
    /// and error; returns its exit code. A process that cannot start is a <see cref="ContainerStartException"/>.
    /// With a terminal and input (<c>-it</c>) runc attaches the pty to strata's terminal; with a
    /// terminal alone (<c>-t</c>) strata owns the pty and copies it to its stdout, never reading
    /// its own stdin (docker's <c>exec -t</c>).
    /// </summary>
    public async Task<int> ExecAsync(ExecRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Args.Count == 0) throw new InvalidArgumentException("exec needs a command");
        var log = Path.Combine(Path.GetTempPath(), $"strata-exec-{Guid.NewGuid():N}.log");
        List<string> options = [];
        if (request.Cwd is { } cwd) options.AddRange(["--cwd", cwd]);
        foreach (var e in request.Env) options.AddRange(["--env", e]);
        if (request.User is { } user)
        {
            options.AddRange(["--user", $"{user.Uid}:{user.Gid}"]);
            foreach (var g in user.AdditionalGids) options.AddRange(["--additional-gids", g.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        }
        List<string> global = ["--root", _options.StateDirectory, "--log", log, "--log-format", "json", "exec"];
        try
        {
            if (request.Tty && !request.Interactive)
            {
                await using var stdout = Console.OpenStandardOutput();
                var result = await RunOnConsoleAsync(
                    (socket, pid) => [.. global, "--detach", "--tty", "--console-socket", socket, "--pid-file", pid, .. options, request.ContainerId, .. request.Args],
                    null, log, $"exec in container {request.ContainerId}", request.ContainerId, stdout, null, ct).ConfigureAwait(false);
                return result.ExitCode;
            }
            List<string> args = [.. global];
            if (request.Tty) args.Add("--tty");
            args.AddRange([.. options, request.ContainerId, .. request.Args]);
            var psi = new ProcessStartInfo(RuntimePath) { UseShellExecute = false, RedirectStandardInput = !request.Interactive };
            foreach (var a in args) psi.ArgumentList.Add(a);
            using var p = Process.Start(psi) ?? throw new ContainerStartException($"could not start {RuntimePath}");
            if (!request.Interactive) p.StandardInput.Close();
            try
            {
                await p.WaitForExitAsync(ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                p.Kill();
                throw;
            }
            if (p.ExitCode != 0 && ReadRuntimeErrors(log) is { Length: > 0 } error)
                throw new ContainerStartException($"exec in container {request.ContainerId}: {RuntimeName}: {error}") { ContainerId = request.ContainerId };
            return p.ExitCode;
        }
        finally
        {
            File.Delete(log);
        }
    }
}
