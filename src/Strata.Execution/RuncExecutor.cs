using System.Diagnostics;
using System.Text.Json;
using Strata.Core;
using Strata.Core.Unix;
using Strata.Execution.Network;

namespace Strata.Execution;

/// <summary>
/// <see cref="IContainerRuntime"/> over an OCI runtime with runc's command line (runc or crun):
/// writes a bundle, runs <c>runtime run</c> in the foreground with the process's stdio as plain
/// pipes, and cleans up. No daemon and no shim: the runtime is this process's child for exactly
/// the lifetime of the container.
/// </summary>
public sealed partial class RuncExecutor : IContainerRuntime
{
    private const int CopyBufferSize = 64 * 1024;

    /// <summary>The file in the bundle a NAT container's network namespace is pinned on.</summary>
    internal const string NetnsFileName = "netns";
    private static readonly TimeSpan HelperTimeout = TimeSpan.FromSeconds(30);

    private const string TunDevice = "/dev/net/tun";

    private readonly RuncOptions _options;
    private readonly RuntimeSpecOptions _specOptions;
    private readonly Lazy<bool> _tunOpenable = new(CanOpenTun);

    private RuncExecutor(RuncOptions options, string runtimePath, RuntimeVersion version, RuntimeSpecOptions specOptions)
    {
        _options = options;
        RuntimePath = runtimePath;
        _specOptions = specOptions;
        RuntimeName = version.Name;
        Version = version.ToString();
    }

    /// <summary>The runtime binary used.</summary>
    public string RuntimePath { get; }

    /// <summary>What the runtime calls itself: <c>runc</c> or <c>crun</c>.</summary>
    public string RuntimeName { get; }

    /// <summary>The runtime's version, e.g. <c>1.1.5+ds1</c>.</summary>
    public string Version { get; }

    /// <summary>The runtime's state root (<c>--root</c>).</summary>
    public string StateDirectory => _options.StateDirectory;

    /// <summary>
    /// Finds the runtime, checks its version (1.0 or later) and creates the state and bundle
    /// directories.
    /// </summary>
    /// <exception cref="NotFoundException">No such runtime.</exception>
    /// <exception cref="FailedPreconditionException">The runtime is older than 1.0 or does not say its version.</exception>
    public static RuncExecutor Create(RuncOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!Path.IsPathFullyQualified(options.StateDirectory) || !Path.IsPathFullyQualified(options.BundleDirectory))
            throw new InvalidArgumentException($"runtime state directory {options.StateDirectory} and bundle directory {options.BundleDirectory} must be absolute");
        var path = FindRuntime(options);
        var output = RunHelper(path, ["--version"], out int exitCode);
        var version = RuntimeVersion.TryParse(output);
        if (exitCode != 0 || version is null)
            throw new FailedPreconditionException($"{path} --version did not report a version (exit {exitCode}): {FirstLine(output)}");
        if (version.IsBefore1)
            throw new FailedPreconditionException($"{version.Name} {version} at {path} is too old: Strata needs runc or crun 1.0 or later");

        Directory.CreateDirectory(options.StateDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Directory.CreateDirectory(options.BundleDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var specOptions = options.Spec with { OpenFilesLimit = HostLimits.OpenFiles(options.Spec.OpenFilesLimit), Rootless = options.Rootless || options.Spec.Rootless };
        if (specOptions.DevptsGroup is { } tty && !UserNamespace.MapsGroup(tty)) specOptions = specOptions with { DevptsGroup = null };
        return new RuncExecutor(options, path, version, specOptions);
    }

    /// <inheritdoc />
    public async Task<ExecutionResult> RunAsync(ContainerSpec spec, Stream? stdin, Stream stdout, Stream stderr, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        SpecRules.Validate(spec);
        ct.ThrowIfCancellationRequested();
        if (!Directory.Exists(spec.RootfsPath))
            throw new NotFoundException($"root filesystem {spec.RootfsPath} of container {spec.Id} is not a directory");
        CheckWorkingDirectoryTarget(spec);
        if (spec.BoundToCaller && spec.Process.Terminal)
            throw new InvalidArgumentException($"container {spec.Id} is bound to its caller and cannot have a terminal");

        var bundle = Path.Combine(spec.BundleDirectory ?? _options.BundleDirectory, spec.Id);
        if (Directory.Exists(Path.Combine(_options.StateDirectory, spec.Id)))
            throw new AlreadyExistsException($"container {spec.Id} already exists");
        spec = WithoutUnreachableNat(spec);
        // Pinned under the executor's own bundle directory even when the bundle is elsewhere (a
        // build's secret tmpfs directory): a killed strata's mount is then where ForgetAsync and
        // the leftover reapers look, never inside a directory someone deletes without unmounting.
        var netnsDirectory = Path.Combine(_options.BundleDirectory, spec.Id);
        var netns = spec.Network == NetworkMode.Nat ? Path.Combine(netnsDirectory, NetnsFileName) : null;
        var specOptions = _specOptions with { EtcFilesDirectory = bundle, NetworkNamespacePath = netns };
        // Found before anything is made: a missing slirp4netns is one clear line.
        (string Path, string Shell, string Unshare)? slirp = netns is null ? null : (SlirpNetwork.Locate(_options.SearchDirectories, "slirp4netns"), SlirpNetwork.Locate(_options.SearchDirectories, "sh"), SlirpNetwork.Locate(_options.SearchDirectories, "unshare"));
        await CreateBundleAsync(spec, bundle, specOptions, ct).ConfigureAwait(false);

        // From here on the id is ours: the bundle directory was claimed atomically.
        MountStubs? stubs = null;
        SlirpNetwork? network = null;
        try
        {
            if (netns is not null && slirp is { } tools)
            {
                Directory.CreateDirectory(netnsDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                await NetworkNamespace.CreateAsync(netns).ConfigureAwait(false);
                network = await SlirpNetwork.StartAsync(tools.Path, tools.Shell, tools.Unshare, netns, bundle, EtcFiles.WantsHostGateway(spec.ExtraHosts), spec.Ports ?? [], ct).ConfigureAwait(false);
            }
            var destinations = RuntimeSpecBuilder.Mounts(spec, specOptions).Select(m => m.Destination).ToList();
            stubs = MountStubs.Record(spec.RootfsPath, destinations);
            // -it: runc attaches the pty to strata's own terminal; -t alone: strata owns the pty.
            if (spec.Process.Terminal && stdin is not null)
                return await RunWithTerminalAsync(spec.Id, bundle, spec.PidFile, ct).ConfigureAwait(false);
            if (spec.Process.Terminal)
                return await RunWithConsoleSocketAsync(spec.Id, bundle, spec.PidFile, stdout, ct).ConfigureAwait(false);
            return await RunRuntimeAsync(spec.Id, bundle, spec.PidFile, spec.BoundToCaller, stdin, stdout, stderr, ct).ConfigureAwait(false);
        }
        finally
        {
            await DeleteStateAsync(spec.Id).ConfigureAwait(false);
            if (network is not null) await network.DisposeAsync().ConfigureAwait(false);
            if (netns is not null) NetworkNamespace.Remove(netns);
            stubs?.Remove();
            TryDeleteDirectory(bundle);
            if (netns is not null) TryDeleteDirectory(netnsDirectory);
        }
    }

    /// <summary>
    /// slirp4netns attaches a tap device, so it must open <c>/dev/net/tun</c>. Root always may; a
    /// rootless user may where the node is 0666 (Debian's default), not where a host made it 0600.
    /// There the default network degrades to loopback only, as the rootless default was before
    /// it existed, rather than failing every RUN; published ports and host-gateway cannot degrade and are refused.
    /// </summary>
    private ContainerSpec WithoutUnreachableNat(ContainerSpec spec)
    {
        if (spec.Network != NetworkMode.Nat || !_options.Rootless || _tunOpenable.Value) return spec;
        if (spec.Ports is { Count: > 0 })
            throw new ContainerStartException($"container {spec.Id}: cannot publish ports: the default network needs {TunDevice}, which this user may not open (rootless); make it mode 0666 or run as root") { ContainerId = spec.Id };
        // host-gateway names the host through that network: without it, a fetch would only say
        // "Network is unreachable", so the missing piece is named here instead.
        if (EtcFiles.WantsHostGateway(spec.ExtraHosts))
            throw new ContainerStartException($"container {spec.Id}: cannot reach host-gateway: the default network needs {TunDevice}, which this user may not open (rootless); make it mode 0666 or run as root") { ContainerId = spec.Id };
        return spec with { Network = NetworkMode.None };
    }

    private static bool CanOpenTun()
    {
        try
        {
            // Opening the clone device creates nothing until a TUNSETIFF: a harmless probe.
            using var tun = File.Open(TunDevice, FileMode.Open, FileAccess.ReadWrite);
            return true;
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            return false;
        }
    }

    /// <summary>
    /// Writes the bundle in a private staging directory and renames it into place. rename(2)
    /// does not replace a non-empty directory, so of two runs racing for one id exactly one
    /// wins, and the loser cannot delete the winner's bundle or runtime state on its way out.
    /// </summary>
    private async Task CreateBundleAsync(ContainerSpec spec, string bundle, RuntimeSpecOptions specOptions, CancellationToken ct)
    {
        var staging = Path.Combine(Path.GetDirectoryName(bundle)!, $".{spec.Id}.{Guid.NewGuid():N}");
        Directory.CreateDirectory(staging, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        try
        {
            var config = RuntimeSpecBuilder.Build(spec, specOptions);
            await File.WriteAllBytesAsync(Path.Combine(staging, "config.json"), config, ct).ConfigureAwait(false);
            await EtcFiles.WriteAsync(staging, spec, _options.HostResolvConfPath, ct).ConfigureAwait(false);
            Directory.Move(staging, bundle);
        }
        catch (IOException) when (Directory.Exists(bundle))
        {
            TryDeleteDirectory(staging);
            throw new AlreadyExistsException($"container {spec.Id} already exists");
        }
        catch
        {
            TryDeleteDirectory(staging);
            throw;
        }
    }

    private async Task<ExecutionResult> RunRuntimeAsync(string id, string bundle, string? pidFile, bool bound, Stream? stdin, Stream stdout, Stream stderr, CancellationToken ct)
    {
        var log = Path.Combine(bundle, "runtime.log");
        List<string> args = ["--root", _options.StateDirectory, "--log", log, "--log-format", "json", "run", "--bundle", bundle];
        if (pidFile is not null) args.AddRange(["--pid-file", pidFile]);
        var psi = NewStartInfo(RuntimePath, [.. args, id]);
        psi.WorkingDirectory = bundle;
        if (bound) psi = CallerBoundRuntime.Wrap(psi, _options.SearchDirectories);

        using var runtime = new Process { StartInfo = psi };
        var clock = Stopwatch.StartNew();
        if (bound) await CallerBoundRuntime.StartAsync(runtime).ConfigureAwait(false);
        else if (!runtime.Start())
            throw new ContainerStartException($"could not start {RuntimePath} for container {id}") { ContainerId = id };

        // A failing sink must not leave the container running: it cancels like the caller would.
        using var kill = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var outPump = PumpAsync(runtime.StandardOutput.BaseStream, stdout, kill);
        var errorLine = new RuntimeErrorLine(RuntimeName);
        var errPump = PumpAsync(runtime.StandardError.BaseStream, stderr, kill, errorLine);
        var inPump = FeedAsync(stdin, runtime.StandardInput.BaseStream, kill.Token);

        try
        {
            await runtime.WaitForExitAsync(kill.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            if (bound) await CallerBoundRuntime.KillAsync(runtime).ConfigureAwait(false);
            else await KillAsync(id, runtime).ConfigureAwait(false);
        }
        clock.Stop();

        // Every writer of the pipes is gone once the runtime has exited (the pid namespace took
        // the container's processes with it), so the pumps end.
        await Task.WhenAll(outPump, errPump).ConfigureAwait(false);
        await inPump.ConfigureAwait(false);
        ct.ThrowIfCancellationRequested();

        int exitCode = runtime.ExitCode;
        var error = exitCode != 0 ? ReadRuntimeErrors(log) : null;
        if (errorLine.Finish(error) is { Length: > 0 } held)
            await stderr.WriteAsync(held, CancellationToken.None).ConfigureAwait(false);
        if (error is { Length: > 0 })
            throw new ContainerStartException($"container {id}: {RuntimeName}: {error}") { ContainerId = id };
        return new ExecutionResult(exitCode, clock.Elapsed);
    }

    /// <summary>SIGKILL through the runtime until the container is gone; kill the runtime itself as a last resort.</summary>
    private async Task KillAsync(string id, Process runtime)
    {
        var deadline = Stopwatch.StartNew();
        while (!runtime.HasExited && deadline.Elapsed < _options.KillTimeout)
        {
            // Fails harmlessly while the runtime has not yet created the container; retried.
            await RunHelperAsync(["--root", _options.StateDirectory, "kill", id, "KILL"]).ConfigureAwait(false);
            using var wait = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
            try
            {
                await runtime.WaitForExitAsync(wait.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }
        if (!runtime.HasExited)
        {
            runtime.Kill(entireProcessTree: true);
            await runtime.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>A foreground run deletes its container on exit; this covers cancellation and a killed runtime.</summary>
    private async Task DeleteStateAsync(string id)
    {
        if (!Directory.Exists(Path.Combine(_options.StateDirectory, id))) return;
        await RunHelperAsync(["--root", _options.StateDirectory, "delete", "--force", id]).ConfigureAwait(false);
    }

    private static async Task PumpAsync(Stream source, Stream sink, CancellationTokenSource kill, RuntimeErrorLine? filter = null)
    {
        var buffer = new byte[CopyBufferSize];
        try
        {
            int n;
            while ((n = await source.ReadAsync(buffer, CancellationToken.None).ConfigureAwait(false)) > 0)
            {
                if (filter is null) await sink.WriteAsync(buffer.AsMemory(0, n), CancellationToken.None).ConfigureAwait(false);
                else if (filter.Pass(buffer.AsSpan(0, n)) is { Length: > 0 } passed) await sink.WriteAsync(passed, CancellationToken.None).ConfigureAwait(false);
            }
            await sink.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch
        {
            await kill.CancelAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static async Task FeedAsync(Stream? source, Stream pipe, CancellationToken ct)
    {
        try
        {
            if (source is not null) await source.CopyToAsync(pipe, CopyBufferSize, ct).ConfigureAwait(false);
        }
        catch (IOException)
        {
            // The process closed its stdin or exited without reading it all: not an error.
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            try
            {
                await pipe.DisposeAsync().ConfigureAwait(false);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>
    /// The working directory is resolved in the root filesystem as the runtime will resolve it:
    /// a symbolic link such as <c>/w -> /proc/self/fd/7</c> must not get past the path rules.
    /// </summary>
    private static void CheckWorkingDirectoryTarget(ContainerSpec spec)
    {
        var resolved = RootPath.Resolve(spec.RootfsPath, spec.Process.Cwd, out _);
        if (SpecRules.ReachesHost(resolved))
            throw new InvalidArgumentException($"working directory {spec.Process.Cwd} leads to {resolved}, which names process file descriptors and could reach the host");
    }

    /// <summary>The messages of the runtime's error-level log entries, joined.</summary>
    private static string ReadRuntimeErrors(string log)
    {
        if (!File.Exists(log)) return "";
        var errors = new List<string>();
        foreach (var line in File.ReadLines(log))
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            try
            {
                using var doc = JsonDocument.Parse(line);
                var root = doc.RootElement;
                if (root.ValueKind == JsonValueKind.Object
                    && root.TryGetProperty("level", out var level) && level.GetString() is "error" or "fatal"
                    && root.TryGetProperty("msg", out var msg) && msg.GetString() is { Length: > 0 } text)
                    errors.Add(text);
            }
            catch (JsonException)
            {
                errors.Add(line.Trim());
            }
        }
        return string.Join("; ", errors.Distinct());
    }

    /// <summary>
    /// The runtime binary <see cref="Create"/> would use, without starting it: lets a caller that
    /// creates the executor lazily still name a missing runtime before any work starts.
    /// </summary>
    public static string Locate(RuncOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return FindRuntime(options);
    }

    private static string FindRuntime(RuncOptions options)
    {
        var runtime = options.Runtime;
        if (string.IsNullOrEmpty(runtime))
            throw new InvalidArgumentException("no OCI runtime named");
        if (runtime.Contains('/', StringComparison.Ordinal))
        {
            if (!Path.IsPathFullyQualified(runtime))
                throw new InvalidArgumentException($"OCI runtime path {runtime} is not absolute");
            return IsExecutable(runtime) ? runtime : throw new NotFoundException($"OCI runtime {runtime} does not exist or is not executable");
        }
        foreach (var dir in options.SearchDirectories)
        {
            var candidate = Path.Combine(dir, runtime);
            if (IsExecutable(candidate)) return candidate;
        }
        throw new NotFoundException($"OCI runtime {runtime} not found in {string.Join(":", options.SearchDirectories)}; install the Debian package {runtime}");
    }

    private static bool IsExecutable(string path) =>
        File.Exists(path) && (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;

    private static ProcessStartInfo NewStartInfo(string file, IEnumerable<string> args)
    {
        var psi = new ProcessStartInfo(file)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        return psi;
    }

    /// <summary>Runs the runtime for a short command (version, kill, delete); output is stdout + stderr.</summary>
    private static string RunHelper(string file, IEnumerable<string> args, out int exitCode)
    {
        using var p = Process.Start(NewStartInfo(file, args))
            ?? throw new ContainerStartException($"could not start {file}");
        p.StandardInput.Close();
        var err = p.StandardError.ReadToEndAsync();
        var output = p.StandardOutput.ReadToEnd();
        if (!p.WaitForExit(HelperTimeout))
        {
            p.Kill(entireProcessTree: true);
            throw new FailedPreconditionException($"{file} {string.Join(' ', args)} did not finish within {HelperTimeout.TotalSeconds} s");
        }
        exitCode = p.ExitCode;
        return output + err.GetAwaiter().GetResult();
    }

    /// <summary>Cleanup commands: they must run to the end even when the caller has given up.</summary>
    private async Task<int> RunHelperAsync(IEnumerable<string> args)
    {
        using var p = Process.Start(NewStartInfo(RuntimePath, args));
        if (p is null) return -1;
        p.StandardInput.Close();
        var drainOut = p.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var drainErr = p.StandardError.ReadToEndAsync(CancellationToken.None);
        using var timeout = new CancellationTokenSource(HelperTimeout);
        try
        {
            await p.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            return -1;
        }
        await Task.WhenAll(drainOut, drainErr).ConfigureAwait(false);
        return p.ExitCode;
    }

    private static void TryDeleteDirectory(string path)
    {
        try
        {
            if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();
}
