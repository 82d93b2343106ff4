using System.Security.Cryptography;
using System.Text.Json;
using Strata.Archive;
using Strata.Core;
using Strata.Execution;
using Strata.Images;
using Strata.Images.Layers;
using Strata.Images.Metadata;
using Strata.Oci;
using Strata.Rootfs;
using Strata.Rootfs.Users;
using Strata.Snapshots;

namespace Strata.Containers;

/// <summary>
/// Containers on copy-on-write layers: a container is an active overlay snapshot over the
/// image's shared unpacked chain (nothing is copied when it is made), mounted only while its
/// process runs. Its writable layer outlives the process until <see cref="RemoveAsync"/>, so
/// <see cref="DiffAsync"/> and <see cref="CommitAsync"/> read the upper directory at rest.
/// </summary>
public sealed partial class ContainerManager
{
    private const string DefaultPath = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    private readonly ImageStore _store;
    private readonly SnapshotWorkspace _workspace;
    private readonly IContainerRuntime _runtime;
    private readonly TimeProvider _time;
    private readonly string _directory;
    private readonly string _mountDirectory;

    public ContainerManager(ImageStore store, SnapshotWorkspace workspace, IContainerRuntime runtime, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(workspace);
        ArgumentNullException.ThrowIfNull(runtime);
        _store = store;
        _workspace = workspace;
        _runtime = runtime;
        _time = time;
        _directory = Path.Combine(store.Layout.Root, "containers");
        _mountDirectory = Path.Combine(store.Layout.Root, "runtime", "mounts");
        Directory.CreateDirectory(_directory);
        Directory.CreateDirectory(_mountDirectory);
    }

    private ISnapshotter Snapshotter => _workspace.Snapshotter;

    /// <summary>Makes a container of <paramref name="imageName"/>: its writable snapshot and records; runs nothing.</summary>
    public async Task<ContainerState> CreateAsync(string imageName, ContainerRunOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!Snapshotter.UpperDirectoryIsDiff)
            throw new FailedPreconditionException($"containers need the overlay snapshotter; {Snapshotter.Name} cannot show a container's changes");
        var image = await _store.GetAsync(imageName, options.Platform, cancellationToken).ConfigureAwait(false);
        var existing = await ListAsync(cancellationToken).ConfigureAwait(false);
        var name = options.Name ?? GenerateName(existing);
        if (existing.FirstOrDefault(c => c.Name == name) is { } holder)
            throw new AlreadyExistsException($"Conflict. The container name \"/{name}\" is already in use by container \"{holder.Id}\". You have to remove (or rename) that container to be able to reuse that name.");
        var command = ProcessArgs(image.Config.Config, options);
        var parent = await _workspace.EnsureUnpackedAsync(image, cancellationToken).ConfigureAwait(false);
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var state = new ContainerState
        {
            Id = id,
            Name = name,
            ImageId = image.Id,
            Image = imageName,
            ParentSnapshot = parent,
            SnapshotKey = $"container-{id}",
            Command = command,
            CreatedAt = _time.GetUtcNow(),
            Status = ContainerStatus.Created,
            Options = options,
        };
        VolumeMounts.Parse(options.Volumes);
        foreach (var host in options.AddHosts) HostEntry.Parse(host);
        foreach (var port in options.Publish) PortSpec.ParseAll(port);
        await Snapshotter.PrepareAsync(state.SnapshotKey, parent, cancellationToken).ConfigureAwait(false);
        await SaveAsync(state, cancellationToken).ConfigureAwait(false);
        return state;
    }

    /// <summary>
    /// Runs the container's process in the foreground: mounts its root, resolves user, env and
    /// working directory from the image and its options, passes stdio through, records the
    /// exit, unmounts. Returns the process's exit code. The detached monitor runs this too, with
    /// the log files as stdout and stderr.
    /// </summary>
    public async Task<int> RunAsync(ContainerState container, Stream? stdin, Stream stdout, Stream stderr, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(container);
        var options = container.Options ?? new ContainerRunOptions();
        var image = await _store.GetAsync(container.ImageId.Value, cancellationToken).ConfigureAwait(false);
        var config = image.Config.Config ?? new ContainerConfig();
        var mounts = await Snapshotter.MountsAsync(container.SnapshotKey, cancellationToken).ConfigureAwait(false);
        var target = Path.Combine(_mountDirectory, container.Id);
        var pidFile = Path.Combine(_directory, container.Id, "init.pid");
        File.Delete(pidFile);
        // A mount left by a crash (reboot-like loss) is replaced, never stacked on.
        await MountHelper.UnmountAllAsync(target, cancellationToken).ConfigureAwait(false);
        Directory.CreateDirectory(target);
        await MountHelper.MountAllAsync(mounts, target, cancellationToken).ConfigureAwait(false);
        int exit;
        // Only the NAT network forwards ports (docker discards them with the host's network);
        // host ports left to choose are chosen now, so port and ps show the real ones.
        var ports = options.Network == NetworkMode.Nat ? PortSpec.ChooseHostPorts(options.Publish.SelectMany(PortSpec.ParseAll)) : [];
        container = container with
        {
            Status = ContainerStatus.Running, StartedAt = _time.GetUtcNow(), MountPath = target, Error = null, ExitCode = null,
            Monitor = ProcessIdentity.Of(System.Environment.ProcessId),
            Ports = options.Network == NetworkMode.Nat ? ports : null,
            ExposedPorts = options.Network == NetworkMode.Nat ? [.. (config.ExposedPorts?.Keys ?? []).Select(ExposedPort)] : null,
        };
        await SaveAsync(container, cancellationToken).ConfigureAwait(false);
        try
        {
            var users = await UserDatabase.ReadAsync(target, cancellationToken).ConfigureAwait(false);
            var user = users.ResolveRunUser(options.User ?? config.User);
            var cwd = options.WorkingDir is { Length: > 0 } w ? w : config.WorkingDir is { Length: > 0 } iw ? iw : "/";
            if (!cwd.StartsWith('/')) cwd = "/" + cwd;
            Directory.CreateDirectory(ScopedPath.Resolve(target, cwd));
            var spec = new ContainerSpec(
                container.Id,
                target,
                new ProcessSpec(container.Command, TerminalEnvironment.ForRun(config.Env, options), cwd, new ProcessUser(user.Uid, user.Gid, user.AdditionalGids), options.Tty),
                VolumeMounts.Parse(options.Volumes),
                options.Network,
                options.Hostname ?? container.Id[..12])
            {
                PidFile = pidFile,
                WritableEtcFiles = true,
                ExtraHosts = [.. options.AddHosts.Select(HostEntry.Parse)],
                Ports = ports,
            };
            var run = _runtime.RunAsync(spec, stdin, stdout, stderr, cancellationToken);
            var watch = RecordInitAsync(container, pidFile, run);
            var result = await run.ConfigureAwait(false);
            container = await watch.ConfigureAwait(false);
            exit = result.ExitCode;
        }
        catch (Exception e) when (e is ContainerStartException or InvalidArgumentException or NotFoundException)
        {
            // docker keeps a container whose process could not start, as exited with 127.
            await FinishAsync(container, 127, e.Message).ConfigureAwait(false);
            throw;
        }
        catch (OperationCanceledException)
        {
            // The executor killed the container (SIGKILL): docker records 137.
            await FinishAsync(container, 137, null).ConfigureAwait(false);
            throw;
        }
        catch
        {
            await FinishAsync(container, 255, null).ConfigureAwait(false);
            throw;
        }
        await FinishAsync(container, exit, null).ConfigureAwait(false);
        return exit;
    }

    /// <summary>Once the runtime has written the init pid, records it: <c>ps</c>, <c>stop</c> and the lost-state check use it.</summary>
    private async Task<ContainerState> RecordInitAsync(ContainerState container, string pidFile, Task run)
    {
        while (!run.IsCompleted)
        {
            if (File.Exists(pidFile) && int.TryParse(await File.ReadAllTextAsync(pidFile).ConfigureAwait(false), out int pid))
            {
                container = container with { Init = ProcessIdentity.Of(pid) };
                await SaveAsync(container, CancellationToken.None).ConfigureAwait(false);
                return container;
            }
            await Task.WhenAny(run, Task.Delay(10)).ConfigureAwait(false);
        }
        return container;
    }

    /// <summary>Records the exit and unmounts the root filesystem.</summary>
    private async Task FinishAsync(ContainerState container, int exitCode, string? error)
    {
        if (container.MountPath is { } target)
        {
            await MountHelper.UnmountAllAsync(target, CancellationToken.None).ConfigureAwait(false);
            try { Directory.Delete(target); }
            catch (IOException) { }
        }
        // A forced rm may have removed the container meanwhile: then there is nothing to record.
        if (!Directory.Exists(Path.Combine(_directory, container.Id))) return;
        container = container with
        {
            Status = ContainerStatus.Exited, ExitCode = exitCode, FinishedAt = _time.GetUtcNow(), Error = error,
            Monitor = null, Init = null, MountPath = null, Ports = null, ExposedPorts = null,
        };
        await SaveAsync(container, CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>Every container, newest first. Those recorded as running are checked against the runtime's state first.</summary>
    public async Task<List<ContainerState>> ListAsync(CancellationToken cancellationToken)
    {
        var result = new List<ContainerState>();
        IReadOnlyDictionary<string, RuntimeContainer>? runtime = null;
        foreach (var record in await _store.Metadata.ListContainersAsync(cancellationToken).ConfigureAwait(false))
        {
            var state = await LoadAsync(record.Id, cancellationToken).ConfigureAwait(false);
            if (state is null) continue;
            if (state.Status == ContainerStatus.Running)
            {
                runtime ??= await _runtime.ListAsync(cancellationToken).ConfigureAwait(false);
                state = await ReconcileAsync(state, runtime, cancellationToken).ConfigureAwait(false);
            }
            result.Add(state);
        }
        return [.. result.OrderByDescending(c => c.CreatedAt)];
    }

    /// <summary>The container named <paramref name="nameOrId"/>, or whose ID starts with it.</summary>
    public async Task<ContainerState> GetAsync(string nameOrId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(nameOrId);
        var all = await ListAsync(cancellationToken).ConfigureAwait(false);
        var byName = all.FirstOrDefault(c => c.Name == nameOrId.TrimStart('/'));
        if (byName is not null) return byName;
        var byId = nameOrId.Length == 0 ? [] : all.Where(c => c.Id.StartsWith(nameOrId, StringComparison.Ordinal)).ToList();
        return byId.Count switch
        {
            1 => byId[0],
            0 => throw new NotFoundException($"No such container: {nameOrId}"),
            _ => throw new InvalidArgumentException($"multiple containers found with provided prefix: {nameOrId}"),
        };
    }

    /// <summary>Removes the container's writable layer and records. A running one only with <paramref name="force"/>.</summary>
    public async Task RemoveAsync(ContainerState container, bool force, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(container);
        if (container.Status is ContainerStatus.Running or ContainerStatus.Starting && !force)
            throw new FailedPreconditionException($"cannot remove container \"/{container.Name}\": container is running: stop the container before removing or force remove");
        if (container.Status == ContainerStatus.Running)
            await KillAndWaitAsync(container, cancellationToken).ConfigureAwait(false);
        await _runtime.ForgetAsync(container.Id).ConfigureAwait(false);
        var mountPath = Path.Combine(_mountDirectory, container.Id);
        await MountHelper.UnmountAllAsync(mountPath, cancellationToken).ConfigureAwait(false);
        if (Directory.Exists(mountPath)) Directory.Delete(mountPath);
        if (await Snapshotter.StatAsync(container.SnapshotKey, cancellationToken).ConfigureAwait(false) is not null)
            await Snapshotter.RemoveAsync(container.SnapshotKey, cancellationToken).ConfigureAwait(false);
        await _store.Metadata.DeleteContainerAsync(container.Id, cancellationToken).ConfigureAwait(false);
        var dir = Path.Combine(_directory, container.Id);
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
    }

    /// <summary><c>docker diff</c>: what the container's writable layer changed, in docker's order.</summary>
    public async Task<List<ContainerChange>> DiffAsync(ContainerState container, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(container);
        var upper = Snapshotter.UpperDirectory(container.SnapshotKey);
        await using var lower = await _workspace.ViewAsync(container.ParentSnapshot, cancellationToken).ConfigureAwait(false);
        return ContainerDiff.Compute(upper, lower.Path);
    }

    /// <summary>
    /// docker's SizeRw and SizeRootFs: the bytes of the writable layer's files (each hard-linked
    /// inode once, as moby's directory.Size over overlay2's upper directory) and those plus the
    /// image's size. An image removed since (<c>rmi -f</c>) counts nothing.
    /// </summary>
    public async Task<ContainerSize> SizeAsync(ContainerState container, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(container);
        var upper = Snapshotter.UpperDirectory(container.SnapshotKey);
        long writable = Directory.Exists(upper) ? await Task.Run(() => LayerIngest.ContentSizeOf(upper), cancellationToken).ConfigureAwait(false) : 0;
        long image = 0;
        try
        {
            image = (await _store.GetAsync(container.ImageId.Value, cancellationToken).ConfigureAwait(false)).Record.Size;
        }
        catch (NotFoundException)
        {
        }
        return new ContainerSize(writable, writable + image);
    }

    /// <summary>
    /// Turns the container's writable layer into a new top layer over its image: deletions as
    /// whiteouts, replaced directories as opaque. <paramref name="config"/> replaces the image's
    /// runtime config (null keeps it).
    /// </summary>
    public Task<StoredImage> CommitAsync(ContainerState container, ContainerCommitOptions options, CancellationToken cancellationToken) =>
        CommitAsync(container, options, null, cancellationToken);

    /// <param name="progress">Told the content bytes of the writable layer written (item: the container's short ID, of the layer's size); null: nobody watches.</param>
    public async Task<StoredImage> CommitAsync(ContainerState container, ContainerCommitOptions options, IProgress<ByteProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(container);
        ArgumentNullException.ThrowIfNull(options);
        // The image's blobs and the new layer are held until the new image is recorded.
        await using var lease = _store.Leases.Begin();
        var image = await _store.GetAsync(container.ImageId.Value, cancellationToken).ConfigureAwait(false);
        var upper = Snapshotter.UpperDirectory(container.SnapshotKey);
        var layerOptions = options.Layer;
        if (Watch(progress, container, upper) is { } watch) layerOptions = layerOptions with { Progress = watch };
        var layer = await LayerIngest.WriteAsync(_store, (dest, ct) => LayerWriter.WriteOverlayUpperAsync(upper, dest, layerOptions, ct), LayerIngest.ContentSizeOf(upper), cancellationToken).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        var history = new HistoryEntry
        {
            Created = now,
            CreatedBy = string.Join(' ', container.Command),
            Author = options.Author,
            Comment = options.Message,
        };
        var config = image.Config with
        {
            Created = now,
            Author = options.Author ?? image.Config.Author,
            Config = options.Config ?? image.Config.Config,
            RootFs = image.Config.RootFs with { DiffIds = [.. image.Config.RootFs.DiffIds, layer.DiffId] },
            History = [.. image.Config.History ?? [], history],
        };
        return await _store.CommitImageAsync(config, [.. image.Layers, layer], options.Tags, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>An image's exposed port as docker keys it: <c>80</c> in a config means <c>80/tcp</c>.</summary>
    private static string ExposedPort(string key) => key.Contains('/', StringComparison.Ordinal) ? key : key + "/tcp";

    /// <summary>docker's rules: <c>--entrypoint</c> replaces the entrypoint and drops the image's Cmd; CMD arguments replace Cmd.</summary>
    public static IReadOnlyList<string> ProcessArgs(ContainerConfig? config, ContainerRunOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        IReadOnlyList<string> entrypoint = options.Entrypoint is { } e ? (e.Length == 0 ? [] : [e]) : config?.Entrypoint ?? [];
        IReadOnlyList<string> cmd = options.Command.Count > 0 ? options.Command : options.Entrypoint is not null ? [] : config?.Cmd ?? [];
        List<string> args = [.. entrypoint, .. cmd];
        if (args.Count == 0) throw new InvalidArgumentException("no command specified");
        return args;
    }

    /// <summary>The image's Env (with a default PATH), then <paramref name="extra"/> replacing same-named entries.</summary>
    public static IReadOnlyList<string> Environment(IReadOnlyList<string>? image, IReadOnlyList<string> extra)
    {
        ArgumentNullException.ThrowIfNull(extra);
        var env = new List<string>(image ?? []);
        if (!env.Any(v => v.StartsWith("PATH=", StringComparison.Ordinal))) env.Insert(0, DefaultPath);
        foreach (var item in extra)
        {
            var key = item.Split('=', 2)[0];
            int at = env.FindIndex(v => v.Split('=', 2)[0] == key);
            if (at >= 0) env[at] = item;
            else env.Add(item);
        }
        return env;
    }

    private async Task SaveAsync(ContainerState state, CancellationToken cancellationToken)
    {
        var dir = Path.Combine(_directory, state.Id);
        Directory.CreateDirectory(dir);
        // A name of its own: the monitor and a CLI process may save at once, and must not write into one file.
        var temp = $"{StateFile(state.Id)}.tmp-{Guid.NewGuid():N}";
        await using (var stream = File.Create(temp))
            await JsonSerializer.SerializeAsync(stream, state, ContainerJsonContext.Default.ContainerState, cancellationToken).ConfigureAwait(false);
        File.Move(temp, StateFile(state.Id), overwrite: true);
        await _store.Metadata.PutContainerAsync(new ContainerRecord(state.Id, state.Name, state.ImageId, state.CreatedAt, state.Status.ToText()), cancellationToken).ConfigureAwait(false);
    }

    private string StateFile(string id) => Path.Combine(_directory, id, "container.json");

    private static readonly string[] Adjectives = ["admiring", "brave", "calm", "eager", "focused", "gentle", "happy", "jolly", "keen", "lucid", "nifty", "quirky", "serene", "tender", "vibrant", "zen"];
    private static readonly string[] Scientists = ["babbage", "curie", "dijkstra", "euler", "fermat", "gauss", "hopper", "knuth", "lovelace", "noether", "pascal", "ritchie", "shannon", "thompson", "turing", "wozniak"];

    private static string GenerateName(List<ContainerState> existing)
    {
        while (true)
        {
            var name = $"{Adjectives[RandomNumberGenerator.GetInt32(Adjectives.Length)]}_{Scientists[RandomNumberGenerator.GetInt32(Scientists.Length)]}";
            if (existing.Any(c => c.Name == name)) name += RandomNumberGenerator.GetInt32(10);
            if (!existing.Any(c => c.Name == name)) return name;
        }
    }
}
