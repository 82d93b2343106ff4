using System.Diagnostics;
using Strata.Archive;
using Strata.Build.Config;
using Strata.Build.FileOps;
using Strata.Build.History;
using Strata.Core;
using Strata.Dockerfile;
using Strata.Dockerfile.Expansion;
using Strata.Dockerfile.Instructions;
using Strata.Oci;
using Strata.Rootfs;
using Strata.Rootfs.Users;

namespace Strata.Build.Engine;

/// <summary>
/// Runs one stage's steps in order: metadata steps edit the config and add an
/// <c>empty_layer</c> history entry; RUN, COPY, ADD and WORKDIR run on a writable snapshot whose
/// changes become the next layer. Any failure names the Dockerfile line.
/// </summary>
internal sealed partial class StageBuilder
{
    private static readonly string[] ProxyNames = ["http_proxy", "https_proxy", "ftp_proxy", "no_proxy", "all_proxy"];
    private const string DefaultPath = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    private readonly BuildContext _build;
    private readonly ExpandedStage _stage;
    private readonly List<KeyValuePair<string, string>> _args = [];

    public StageBuilder(BuildContext build, ExpandedStage stage)
    {
        _build = build;
        _stage = stage;
    }

    private string FileName => _build.Request.DockerfileName;

    private DateTimeOffset Now => _build.Request.SourceDateEpoch ?? _build.Store.Now;

    private LayerWriteOptions WriteOptions => LayerWriteOptions.Default with
    {
        SourceDateEpoch = _build.Request.SourceDateEpoch,
        Compression = _build.Request.Compression,
        GzipLevel = _build.Request.Compression == LayerCompression.Gzip ? _build.Request.CompressionLevel ?? 1 : LayerWriteOptions.Default.GzipLevel,
        ZstdLevel = _build.Request.Compression == LayerCompression.Zstd ? _build.Request.CompressionLevel ?? 3 : LayerWriteOptions.Default.ZstdLevel,
    };

    public async Task<StageState> BuildAsync(CancellationToken cancellationToken)
    {
        var state = await BaseAsync(cancellationToken).ConfigureAwait(false);
        state = await RunTriggersAsync(state, cancellationToken).ConfigureAwait(false);
        int index = 0;
        foreach (var step in _stage.Steps)
        {
            index++;
            state = await StepAsync(state, step, $"[{_stage.Stage.DisplayName} {index}/{_stage.Steps.Count}]", cancellationToken).ConfigureAwait(false);
        }
        return RememberStage(state);
    }

    private async Task<StageState> BaseAsync(CancellationToken cancellationToken)
    {
        var from = _stage.Stage.From;
        int id = _build.NextStepId();
        var sw = Stopwatch.StartNew();
        _build.Progress.StepStarted(id, $"[{_stage.Stage.DisplayName}] FROM {_stage.Stage.BaseName}");
        StageState state;
        try
        {
            if (_build.Named(_stage.Stage.BaseName) is { } named)
            {
                state = await _build.NamedStateAsync(named, cancellationToken).ConfigureAwait(false);
            }
            else if (_stage.BaseStage is { } baseIndex)
            {
                state = await _build.StageAsync(baseIndex, cancellationToken).ConfigureAwait(false);
            }
            else if (string.Equals(_stage.Stage.BaseName, "scratch", StringComparison.OrdinalIgnoreCase))
            {
                state = WithStagePlatform(new StageState(_build.EmptyConfig(), [], [], null, false));
            }
            else
            {
                var image = await _build.ImageAsync(_stage.Stage.BaseName, cancellationToken).ConfigureAwait(false);
                CheckBasePlatform(image);
                var snapshot = await _build.Workspace.EnsureUnpackedAsync(image, cancellationToken).ConfigureAwait(false);
                state = new StageState(image.Config, image.Layers, image.Config.History ?? [], snapshot, false);
            }
        }
        catch (StrataException ex)
        {
            _build.Progress.StepFailed(id, ex.Message);
            throw new BuildStepException($"{FileName}:{from.Range.StartLine}: {from.Original}: {ex.Message}", ex);
        }
        await CacheBaseAsync(state, cancellationToken).ConfigureAwait(false);
        // Images without PATH get docker's default, as BuildKit adds it.
        var container = state.Container;
        if (!(container.Env ?? []).Any(e => e.StartsWith("PATH=", StringComparison.Ordinal)))
            container = container with { Env = [DefaultPath, .. container.Env ?? []] };
        _build.Progress.StepCompleted(id, sw.Elapsed, cached: true);
        return state.WithContainer(container) with { CmdSet = false };
    }

    /// <summary>ONBUILD triggers of the base run first, then are cleared (they do not pass to grandchildren).</summary>
    private async Task<StageState> RunTriggersAsync(StageState state, CancellationToken cancellationToken)
    {
        var triggers = state.Container.OnBuild;
        if (triggers is null || triggers.Count == 0) return state;
        state = state.WithContainer(state.Container with { OnBuild = null });
        foreach (var trigger in triggers)
        {
            var env = (state.Container.Env ?? []).Select(e => e.Split('=', 2)).Select(p => new KeyValue(p[0], p.Length > 1 ? p[1] : "")).ToList();
            var expanded = DockerfileFrontend.ParseAndExpand("FROM scratch\n" + trigger, new BuildOptions { BuildArgs = _build.Request.BuildArgs, BaseImageEnv = _ => env }, "ONBUILD");
            foreach (var step in expanded.Stages[0].Steps)
                state = await StepAsync(state, step, $"[{_stage.Stage.DisplayName} ONBUILD]", cancellationToken).ConfigureAwait(false);
        }
        return state;
    }

    private async Task<StageState> StepAsync(StageState state, ExpandedStep step, string label, CancellationToken cancellationToken)
    {
        var instruction = step.Instruction;
        int id = _build.NextStepId();
        var sw = Stopwatch.StartNew();
        _build.Progress.StepStarted(id, $"{label} {instruction.Original}");
        try
        {
            // Build cache (StageBuilder.Cache.cs): a filesystem step that hits reuses its layer.
            var probe = await ProbeCacheAsync(state, step, id, cancellationToken).ConfigureAwait(false);
            if (probe.Record is not null && MakesLayer(instruction))
            {
                _build.Progress.StepCompleted(id, sw.Elapsed, cached: true);
                return ApplyCached(state, instruction, probe);
            }
            var next = instruction switch
            {
                RunInstruction run => await RunAsync(state, run, step.RunEnvironment, id, cancellationToken).ConfigureAwait(false),
                CopyInstruction copy => await CopyAsync(state, "COPY", copy.Sources, copy.Contents, copy.Destination, copy.From, copy.Chown, copy.Chmod, copy.Parents, copy.Excludes, copy.Link, extract: false, cancellationToken).ConfigureAwait(false),
                AddInstruction add => await AddAsync(state, add, cancellationToken).ConfigureAwait(false),
                WorkdirInstruction workdir => await WorkdirAsync(state, workdir, cancellationToken).ConfigureAwait(false),
                ArgInstruction arg => Arg(state, arg),
                MaintainerInstruction m => Metadata(state with { Config = state.Config with { Author = m.Maintainer } }, instruction),
                _ => Metadata(state, instruction),
            };
            next = await AfterStepAsync(state, next, probe, cancellationToken).ConfigureAwait(false);
            _build.Progress.StepCompleted(id, sw.Elapsed, cached: probe.Record is not null);
            return next;
        }
        catch (BuildStepException ex)
        {
            _build.Progress.StepFailed(id, ex.Message);
            throw;
        }
        catch (StrataException ex)
        {
            _build.Progress.StepFailed(id, ex.Message);
            // "COPY failed: ..." already names the instruction: say it once.
            var keyword = ex.Message.StartsWith(instruction.Keyword + " ", StringComparison.Ordinal) ? "" : instruction.Keyword + ": ";
            throw new BuildStepException($"{FileName}:{instruction.Range.StartLine}: {keyword}{ex.Message}", ex);
        }
        catch (IOException ex)
        {
            _build.Progress.StepFailed(id, ex.Message);
            throw new BuildStepException($"{FileName}:{instruction.Range.StartLine}: {instruction.Keyword}: {ex.Message}", ex);
        }
    }

    private StageState Metadata(StageState state, Instruction instruction)
    {
        var container = ImageConfigEditor.Apply(state.Container, instruction, state.CmdSet);
        var next = state.WithContainer(container) with { CmdSet = state.CmdSet || instruction is CmdInstruction };
        // BuildKit records ONBUILD only in the config's OnBuild list, with no history entry.
        if (instruction is OnbuildInstruction) return next;
        return next.AddHistory(History(HistoryText.ForMetadata(instruction, container), empty: true));
    }

    private StageState Arg(StageState state, ArgInstruction arg)
    {
        foreach (var def in arg.Args)
        {
            var value = _build.Request.BuildArgs.TryGetValue(def.Name, out var v) ? v
                : def.Default ?? (_build.Dockerfile.GlobalArgs.TryGetValue(def.Name, out var g) ? g : null);
            // BuildKit's RUN history lists every ARG in scope in declaration order, one without a
            // value as "NAME=", and a redeclared one keeps its first place with the new value.
            // Proxy settings stay out of history (they often carry credentials).
            if (PredefinedArgs.IsExcludedFromHistory(def.Name)) continue;
            var entry = new KeyValuePair<string, string>(def.Name, value ?? "");
            int at = _args.FindIndex(a => a.Key == def.Name);
            if (at >= 0) _args[at] = entry; else _args.Add(entry);
        }
        return state.AddHistory(History(HistoryText.ForMetadata(WrittenDefaults(arg), state.Container), empty: true));
    }

    /// <summary>
    /// BuildKit's ARG history shows the Dockerfile's default (<c>ARG V=1.0</c>) even when
    /// <c>--build-arg V=2</c> overrides it, but expansion already put the build arg's value in
    /// <see cref="ArgDefinition.Default"/>. A written default without <c>$</c> is shown as
    /// written; one that expands keeps the expanded value (exact only when no build arg overrides it).
    /// </summary>
    private ArgInstruction WrittenDefaults(ArgInstruction arg)
    {
        if (!_build.WrittenArgs.TryGetValue(arg.Range.StartLine, out var written) || written.Args.Count != arg.Args.Count) return arg;
        return arg with
        {
            Args = [.. arg.Args.Select((a, i) => written.Args[i].Default is { } d && !d.Contains('$', StringComparison.Ordinal) ? a with { Default = d } : a)],
        };
    }

    private HistoryEntry History(string createdBy, bool empty) =>
        new() { Created = Now, CreatedBy = createdBy, Comment = HistoryText.Comment, EmptyLayer = empty };

    private async Task<StageState> CommitAsync(StageState state, IStepRootfs rootfs, string createdBy, bool keepEmpty, CancellationToken cancellationToken)
    {
        var layer = await rootfs.CommitAsync(WriteOptions, keepEmpty, cancellationToken).ConfigureAwait(false);
        _build.CountStep(layer is not null);
        if (layer is null) return state.AddHistory(History(createdBy, empty: true));
        return state.AddLayer(layer.Layer, layer.Snapshot).AddHistory(History(createdBy, empty: false));
    }

    private async Task<StageState> RunAsync(StageState state, RunInstruction run, IReadOnlyDictionary<string, string>? runEnv, int id, CancellationToken cancellationToken)
    {
        EnsureCanRun(run, state.Config.Platform);
        var container = state.Container;
        var shell = container.Shell ?? ["/bin/sh", "-c"];
        IReadOnlyList<string> args = run.Command.PrependShell
            ? [.. shell, run.ShellScript()]
            : run.Command.Args;
        var env = RunEnvironment(container, runEnv, _build.Request.BuildArgs);
        var cwd = state.WorkingDirOrRoot;
        await using var rootfs = await _build.Workspace.PrepareAsync(state.Snapshot, state.DiffIds, cancellationToken).ConfigureAwait(false);
        var users = await UserDatabase.ReadAsync(rootfs.Path, cancellationToken).ConfigureAwait(false);
        var user = users.ResolveRunUser(container.User);
        Directory.CreateDirectory(ScopedPath.Resolve(rootfs.Path, cwd));
        // RUN --mount (Engine/Mounts): released, and secret files deleted, when the step ends.
        await using var mounts = await new Mounts.RunMountPreparer(_build).PrepareAsync(run.Mounts, cwd, cancellationToken).ConfigureAwait(false);
        var tail = new Queue<string>();
        int exit;
        await _build.RunSlots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            exit = await _build.Runner.RunAsync(new StepRun(rootfs.Path, args, mounts.WithEnvironment(env), cwd, user, _build.Request.HostNetwork, "strata") { Mounts = mounts.Mounts, BundleDirectory = mounts.BundleDirectory, Options = _build.Request.Run, Mask = _build.SecretMask }, line =>
            {
                _build.Progress.StepOutput(id, line);
                lock (tail)
                {
                    tail.Enqueue(line);
                    if (tail.Count > 5) tail.Dequeue();
                }
            }, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _build.RunSlots.Release();
        }
        // Before the commit: a locked cache is free for the next build and the secrets are gone.
        await mounts.DisposeAsync().ConfigureAwait(false);
        if (exit != 0)
        {
            var last = tail.Count > 0 ? $"; last output: {string.Join(" | ", tail)}" : "";
            throw new BuildStepException($"{FileName}:{run.Range.StartLine}: RUN {string.Join(' ', run.Command.Args)}: process did not complete successfully: exit code {exit}{last}");
        }
        return await CommitAsync(state, rootfs, HistoryText.ForRun(args, _args), keepEmpty: false, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The RUN environment: the config's ENV (with ARG values ENV does not override) and the in-scope build args.</summary>
    private static List<string> RunEnvironment(Oci.ContainerConfig container, IReadOnlyDictionary<string, string>? runEnv, IReadOnlyDictionary<string, string> buildArgs)
    {
        var env = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in container.Env ?? [])
        {
            var key = entry.Split('=', 2)[0];
            seen.Add(key);
            env.Add(runEnv is not null && runEnv.TryGetValue(key, out var v) ? $"{key}={v}" : entry);
        }
        if (runEnv is not null)
            foreach (var (k, v) in runEnv.OrderBy(p => p.Key, StringComparer.Ordinal))
                if (seen.Add(k)) env.Add($"{k}={v}");
        // A proxy build arg (any case) reaches RUN in both spellings, HTTP_PROXY and http_proxy,
        // as BuildKit's proxy environment sets them.
        foreach (var name in ProxyNames)
        {
            var given = buildArgs.Where(a => string.Equals(a.Key, name, StringComparison.OrdinalIgnoreCase)).OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => a.Value).FirstOrDefault();
            if (given is null) continue;
            foreach (var spelling in new[] { name.ToUpperInvariant(), name })
                if (seen.Add(spelling)) env.Add($"{spelling}={given}");
        }
        return env;
    }

    private async Task<StageState> WorkdirAsync(StageState state, WorkdirInstruction workdir, CancellationToken cancellationToken)
    {
        var container = ImageConfigEditor.Apply(state.Container, workdir, state.CmdSet);
        state = state.WithContainer(container);
        await using var rootfs = await _build.Workspace.PrepareAsync(state.Snapshot, state.DiffIds, cancellationToken).ConfigureAwait(false);
        // BuildKit makes the directory with its parents (0755) owned by the stage's USER, each
        // created component chowned (uid and primary group as --chown resolves them); existing
        // components keep their owner.
        (uint Uid, uint Gid)? owner = container.User is { Length: > 0 } user
            ? (await UserDatabase.ReadAsync(rootfs.Path, cancellationToken).ConfigureAwait(false)).ResolveChown(user)
            : null;
        var parts = container.WorkingDir!.Split('/', StringSplitOptions.RemoveEmptyEntries);
        for (int i = 1; i <= parts.Length; i++)
        {
            var path = ScopedPath.Resolve(rootfs.Path, "/" + string.Join('/', parts[..i]));
            if (Directory.Exists(path)) continue;
            Directory.CreateDirectory(path);
            Core.Unix.Libc.Chmod(path, 0x1ED);
            if (owner is { } o) Core.Unix.Libc.Lchown(path, (int)o.Uid, (int)o.Gid);
        }
        // BuildKit runs its mkdir for every WORKDIR but "/" and keeps the result as a layer even
        // when the directory existed (an empty layer, not an empty_layer history entry).
        return await CommitAsync(state, rootfs, HistoryText.ForMetadata(workdir, container), keepEmpty: container.WorkingDir != "/", cancellationToken).ConfigureAwait(false);
    }

    private Task<StageState> AddAsync(StageState state, AddInstruction add, CancellationToken cancellationToken)
    {
        if (add.Sources.Any(GitReference.IsGitSource)) return AddGitAsync(state, add, cancellationToken);
        if (add.Sources.Any(HttpSource.IsUrl)) return AddUrlsAsync(state, add, cancellationToken);
        if (add.Checksum is not null) throw new InvalidArgumentException($"--checksum can only be given for an http(s) URL source, not {string.Join(' ', add.Sources)}");
        return CopyAsync(state, "ADD", add.Sources, add.Contents, add.Destination, null, add.Chown, add.Chmod, parents: false, add.Excludes, add.Link, extract: true, cancellationToken);
    }

    private async Task<StageState> CopyAsync(StageState state, string keyword, IReadOnlyList<string> sources, IReadOnlyList<HeredocSource> contents, string destination,
        string? from, string? chown, string? chmod, bool parents, IReadOnlyList<string> excludes, bool link, bool extract, CancellationToken cancellationToken)
    {
        IMountedView? view = null;
        string? heredocDir = null;
        // --link with --chmod is a plain copy onto the parent, as in BuildKit (IsLinked, StageBuilder.Link.cs).
        link &= chmod is null;
        try
        {
            string sourceRoot = _build.Request.ContextDirectory;
            var ignore = _build.Ignore;
            IReadOnlyList<string> names = sources;
            if (contents.Count > 0)
            {
                heredocDir = Directory.CreateTempSubdirectory("strata-heredoc-").FullName;
                foreach (var doc in contents) await File.WriteAllTextAsync(Path.Combine(heredocDir, doc.Name), doc.Content, cancellationToken).ConfigureAwait(false);
                sourceRoot = heredocDir;
                ignore = null;
                names = [.. contents.Select(c => c.Name)];
            }
            else if (_build.NamedDirectory(from) is { } named)
            {
                // A directory --build-context: its files with its own .dockerignore, owned by root (BuildContext.Named.cs).
                sourceRoot = named.Value;
                ignore = await _build.NamedIgnoreAsync(named, cancellationToken).ConfigureAwait(false);
            }
            else if (from is not null)
            {
                var snapshot = await _build.SourceSnapshotAsync(from, cancellationToken).ConfigureAwait(false);
                view = await _build.Workspace.ViewAsync(snapshot, cancellationToken).ConfigureAwait(false);
                sourceRoot = view.Path;
                ignore = null;
            }

            // --link: the files go into an empty root, so the layer does not depend on the parent
            // (StageBuilder.Link.cs); --chown names still resolve against the parent's /etc/passwd.
            await using var rootfs = link
                ? await _build.Workspace.PrepareAsync(null, [], cancellationToken).ConfigureAwait(false)
                : await _build.Workspace.PrepareAsync(state.Snapshot, state.DiffIds, cancellationToken).ConfigureAwait(false);
            (uint, uint)? owner = chown is null ? null : (link ? await ParentUsersAsync(state, cancellationToken).ConfigureAwait(false) : await UserDatabase.ReadAsync(rootfs.Path, cancellationToken).ConfigureAwait(false)).ResolveChown(chown);
            await FileCopier.CopyAsync(new CopyRequest
            {
                SourceRoot = sourceRoot,
                Ignore = ignore,
                Sources = names,
                Destination = destination,
                WorkingDir = state.WorkingDirOrRoot,
                Owner = owner,
                KeepOwners = view is not null,
                Chmod = chmod,
                ExtractArchives = extract,
                Parents = parents,
                Excludes = excludes,
                Keyword = keyword,
            }, rootfs.Path, cancellationToken).ConfigureAwait(false);
            var historySources = contents.Count > 0 ? contents.Select(c => "<<" + c.Name).ToList() : (IReadOnlyList<string>)sources;
            var createdBy = HistoryText.ForFileStep(keyword, historySources, destination);
            if (link) return await CommitLinkedAsync(state, rootfs, createdBy, cancellationToken).ConfigureAwait(false);
            return await CommitAsync(state, rootfs, createdBy, keepEmpty: false, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (view is not null) await view.DisposeAsync().ConfigureAwait(false);
            if (heredocDir is not null) Directory.Delete(heredocDir, recursive: true);
        }
    }

    /// <summary>The owner a --chown names, resolved in the target root's passwd/group; null without --chown.</summary>
    private static async Task<(uint, uint)?> ChownOwnerAsync(string? chown, string rootfs, CancellationToken cancellationToken) =>
        chown is null ? null : (await UserDatabase.ReadAsync(rootfs, cancellationToken).ConfigureAwait(false)).ResolveChown(chown);
}
