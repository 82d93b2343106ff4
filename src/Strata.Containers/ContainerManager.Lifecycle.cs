using System.Text.Json;
using Strata.Core;
using Strata.Execution;
using Strata.Rootfs.Users;
using Strata.Snapshots;

namespace Strata.Containers;

/// <summary>
/// Detached containers: a monitor process (<c>strata container-shim</c>, launched by the CLI)
/// runs the container and records its exit; everything else reads the runtime's own state and
/// the recorded processes, so a crash or reboot-like loss (monitor gone, runtime state gone,
/// mount gone) shows as an exited container and is cleaned up, never trusted.
/// </summary>
public sealed partial class ContainerManager
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);

    /// <summary>The file a detached container's standard output (<c>stdout</c>) or error (<c>stderr</c>) is written to.</summary>
    public string LogPath(ContainerState container, string stream)
    {
        ArgumentNullException.ThrowIfNull(container);
        return Path.Combine(_directory, container.Id, stream + ".log");
    }

    /// <summary>Marks a created or exited container as starting; the caller then launches its monitor.</summary>
    public async Task<ContainerState> MarkStartingAsync(ContainerState container, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(container);
        if (container.Status is ContainerStatus.Running or ContainerStatus.Starting) return container;
        container = container with { Status = ContainerStatus.Starting, Error = null };
        await SaveAsync(container, cancellationToken).ConfigureAwait(false);
        return container;
    }

    /// <summary>Waits until the monitor has the container running, or it failed to start (<see cref="ContainerState.Error"/>).</summary>
    public async Task<ContainerState> WaitStartedAsync(ContainerState container, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(container);
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var now = await LoadAsync(container.Id, cancellationToken).ConfigureAwait(false);
            // run -d --rm of a quick process: the monitor may have run it and removed it already.
            if (now is null && container.Options?.Remove == true) return container with { Status = ContainerStatus.Exited };
            if (now is null) throw new NotFoundException($"No such container: {container.Name}");
            if (now.Status == ContainerStatus.Exited || (now.Status == ContainerStatus.Running && now.Init is not null)) return now;
            if (now.Status == ContainerStatus.Running && now.Monitor is { IsAlive: false }) return await ReconcileAsync(now, null, cancellationToken).ConfigureAwait(false);
            if (DateTime.UtcNow > deadline)
            {
                now = now with { Status = ContainerStatus.Exited, ExitCode = 125, FinishedAt = _time.GetUtcNow(), Error = $"container {container.Name} did not start within {timeout.TotalSeconds} s" };
                await SaveAsync(now, CancellationToken.None).ConfigureAwait(false);
                return now;
            }
            await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Waits for the container to exit and returns its exit code (docker's <c>wait</c>). A container that never started returns at once.</summary>
    public async Task<int> WaitExitAsync(ContainerState container, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(container);
        var deadline = timeout is { } t ? DateTime.UtcNow + t : DateTime.MaxValue;
        while (true)
        {
            var now = await LoadAsync(container.Id, cancellationToken).ConfigureAwait(false);
            if (now is null) return container.ExitCode ?? 0;
            if (now.Status is ContainerStatus.Exited or ContainerStatus.Created) return now.ExitCode ?? 0;
            if (now.Status == ContainerStatus.Running && now.Monitor is { IsAlive: false })
            {
                now = await ReconcileAsync(now, null, cancellationToken).ConfigureAwait(false);
                if (now.Status == ContainerStatus.Exited) return now.ExitCode ?? 0;
            }
            if (DateTime.UtcNow > deadline) return -1;
            await Task.Delay(PollInterval * 5, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>docker's <c>stop</c>: SIGTERM, then SIGKILL after <paramref name="grace"/>. A container that is not running is left as it is.</summary>
    public async Task StopAsync(ContainerState container, TimeSpan grace, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(container);
        if (container.Status != ContainerStatus.Running) return;
        await _runtime.SignalAsync(container.Id, "TERM").ConfigureAwait(false);
        if (await WaitExitAsync(container, grace, cancellationToken).ConfigureAwait(false) >= 0) return;
        await KillAndWaitAsync(container, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>docker's <c>kill</c>: sends <paramref name="signal"/> to the container's init.</summary>
    public async Task KillAsync(ContainerState container, string signal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(container);
        if (container.Status != ContainerStatus.Running)
            throw new FailedPreconditionException($"Cannot kill container: {container.Name}: Container {container.Id} is not running");
        if (!await _runtime.SignalAsync(container.Id, signal).ConfigureAwait(false))
            throw new FailedPreconditionException($"Cannot kill container: {container.Name}: the runtime refused signal {signal}");
        if (signal is "KILL" or "SIGKILL" or "9")
            await WaitExitAsync(container, TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Passes <paramref name="signal"/> to the container's init without checks or waiting: what an
    /// attached <c>run</c> does with the signals it receives (docker's sig-proxy). False when the
    /// runtime refused (the process has not started yet or has already exited).
    /// </summary>
    public Task<bool> ProxySignalAsync(ContainerState container, string signal)
    {
        ArgumentNullException.ThrowIfNull(container);
        return _runtime.SignalAsync(container.Id, signal);
    }

    /// <summary>Runs a process in the running container (docker's <c>exec</c>); returns its exit code.</summary>
    public async Task<int> ExecAsync(ContainerState container, IReadOnlyList<string> args, ContainerRunOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(container);
        ArgumentNullException.ThrowIfNull(options);
        if (container.Status != ContainerStatus.Running || container.MountPath is null)
            throw new FailedPreconditionException($"Container {container.Id} is not running");
        ProcessUser? user = null;
        if (options.User is { Length: > 0 } u)
        {
            var users = await UserDatabase.ReadAsync(container.MountPath, cancellationToken).ConfigureAwait(false);
            var resolved = users.ResolveRunUser(u);
            user = new ProcessUser(resolved.Uid, resolved.Gid, resolved.AdditionalGids);
        }
        var cwd = options.WorkingDir is { Length: > 0 } w ? (w.StartsWith('/') ? w : "/" + w) : null;
        var env = options.Env;
        if (options.Tty)
        {
            var image = await _store.GetAsync(container.ImageId.Value, cancellationToken).ConfigureAwait(false);
            env = TerminalEnvironment.ForExec(image.Config.Config?.Env, container.Options, options.Env);
        }
        var request = new ExecRequest(container.Id, args) { Env = env, Cwd = cwd, User = user, Interactive = options.Interactive, Tty = options.Tty };
        return await _runtime.ExecAsync(request, cancellationToken).ConfigureAwait(false);
    }

    private async Task KillAndWaitAsync(ContainerState container, CancellationToken cancellationToken)
    {
        await _runtime.SignalAsync(container.Id, "KILL").ConfigureAwait(false);
        container.Init?.Kill();
        if (await WaitExitAsync(container, TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false) >= 0) return;
        // The monitor is stuck: take over its cleanup.
        container.Monitor?.Kill();
        await ReconcileAsync(container, null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Checks a container recorded as running against reality: its monitor and init processes
    /// (pid and start time) and the runtime's state. A container whose monitor is gone, or
    /// whose runtime state is gone while its process lives on, is lost: what is left of it is
    /// killed and unmounted, and it is recorded as exited (255, as docker records containers it
    /// lost track of).
    /// </summary>
    private async Task<ContainerState> ReconcileAsync(ContainerState c, IReadOnlyDictionary<string, RuntimeContainer>? runtime, CancellationToken cancellationToken)
    {
        if (c.Status != ContainerStatus.Running) return c;
        bool monitorAlive = c.Monitor is { IsAlive: true };
        if (!monitorAlive)
        {
            // The monitor records the exit and only then ends, so a record read before it ended
            // may be stale: read it again before taking the container for lost (else a loaded
            // machine turns a recorded "Exited (137)" into 255).
            var now = await LoadAsync(c.Id, cancellationToken).ConfigureAwait(false);
            if (now is null || now.Status != ContainerStatus.Running) return now ?? c;
            c = now;
            monitorAlive = c.Monitor is { IsAlive: true };   // a start since then has a monitor of its own
        }
        runtime ??= await _runtime.ListAsync(cancellationToken).ConfigureAwait(false);
        if (monitorAlive && c.Init is null) return c;
        // A shared listing may predate this container's start: look again before calling it lost.
        if (monitorAlive && !runtime.ContainsKey(c.Id)) runtime = await _runtime.ListAsync(cancellationToken).ConfigureAwait(false);
        runtime.TryGetValue(c.Id, out var state);
        if (monitorAlive && state?.Status is "running" or "created" or "paused") return c;
        // Stopped in the runtime (its init a zombie not yet reaped) or gone with its process: exiting.
        if (monitorAlive && (state?.Status == "stopped" || c.Init is { IsAlive: false }))
        {
            // The process has just exited and the monitor is recording it: give it a moment.
            for (int i = 0; i < 100 && c.Monitor!.IsAlive; i++)
                await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
            var reread = await LoadAsync(c.Id, cancellationToken).ConfigureAwait(false);
            if (reread is null || reread.Status != ContainerStatus.Running) return reread ?? c;
            // A live monitor is the authority on its container's exit: on a loaded machine it may
            // simply not have recorded it yet. stop/kill/rm -f kill a monitor that really is stuck.
            if (c.Monitor!.IsAlive) return reread;
        }
        if (c.Init is { } init) await init.KillAndWaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        if (c.Monitor is { } monitor) await monitor.KillAndWaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        await _runtime.ForgetAsync(c.Id).ConfigureAwait(false);
        await FinishAsync(c, c.ExitCode ?? 255, "the container's runtime state was lost (monitor, runtime state or mount gone)").ConfigureAwait(false);
        return await LoadAsync(c.Id, cancellationToken).ConfigureAwait(false) ?? c;
    }

    private async Task<ContainerState?> LoadAsync(string id, CancellationToken cancellationToken)
    {
        var file = StateFile(id);
        if (!File.Exists(file)) return null;
        try
        {
            await using var stream = File.OpenRead(file);
            return await JsonSerializer.DeserializeAsync(stream, ContainerJsonContext.Default.ContainerState, cancellationToken).ConfigureAwait(false);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
    }
}
