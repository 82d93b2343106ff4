using System.Globalization;
using Strata.Build.Context;
using Strata.Build.FileOps;
using Strata.Core;
using Strata.Core.Unix;
using Strata.Dockerfile.Instructions;
using Strata.Execution;
using Strata.Rootfs;

namespace Strata.Build.Engine.Mounts;

/// <summary>
/// Turns a RUN's <c>--mount</c> list into container mounts with BuildKit's semantics: cache
/// directories kept in the store, read-only binds of the context or a stage (rw binds get a
/// throw-away copy), tmpfs, secret files on a private tmpfs and relayed SSH agents. Targets are
/// resolved against the working directory and cleaned, so none can name a place outside the root.
/// </summary>
internal sealed class RunMountPreparer
{
    private readonly BuildContext _build;

    public RunMountPreparer(BuildContext build) => _build = build;

    public async Task<PreparedMounts> PrepareAsync(IReadOnlyList<RunMount> mounts, string workingDir, CancellationToken cancellationToken)
    {
        var prepared = new PreparedMounts();
        try
        {
            PrivateTempDirectory? secrets = null;
            PrivateTempDirectory Secrets() => secrets ??= prepared.Own(PrivateTempDirectory.Create(_build.Store.Layout));
            var cacheNames = await AcquireCachesAsync(prepared, mounts, cancellationToken).ConfigureAwait(false);
            foreach (var mount in mounts)
            {
                var target = mount.Target is null ? null : Target(mount.Target, workingDir);
                switch (mount.Type)
                {
                    case MountType.Cache:
                        var lease = prepared.CacheLeases[cacheNames[mount]];
                        prepared.Mounts.Add(new ContainerMount(target!, "bind", lease.Directory, mount.ReadOnly ? ["rbind", "ro"] : ["rbind"]));
                        break;
                    case MountType.Bind:
                        await BindAsync(prepared, mount, target!, cancellationToken).ConfigureAwait(false);
                        break;
                    case MountType.Tmpfs:
                        // BuildKit's tmpfs options: nosuid, ro when asked, size= when given.
                        List<string> options = ["nosuid"];
                        if (mount.ReadOnly) options.Add("ro");
                        if (mount.Size is { } size) options.Add("size=" + size.ToString(CultureInfo.InvariantCulture));
                        prepared.Mounts.Add(new ContainerMount(target!, "tmpfs", "tmpfs", options));
                        break;
                    case MountType.Secret:
                        await SecretAsync(prepared, mount, target, Secrets, cancellationToken).ConfigureAwait(false);
                        break;
                    case MountType.Ssh:
                        // BuildKit points SSH_AUTH_SOCK at the first ssh mount, given or not.
                        prepared.SshAuthSock ??= target;
                        Ssh(prepared, mount, target!, Secrets);
                        break;
                }
            }
            // A secret in the environment would sit in the runtime's config.json for the whole
            // step: that bundle goes to the same private tmpfs directory, never the store's disk.
            if (prepared.Env.Count > 0) prepared.BundleDirectory = Secrets().Path;
            return prepared;
        }
        catch
        {
            await prepared.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>A relative target is under the working directory (BuildKit's rule); the result is clean and absolute.</summary>
    internal static string Target(string target, string workingDir)
    {
        var path = GoPath.Clean(target.StartsWith('/') ? target : workingDir.TrimEnd('/') + "/" + target);
        if (path == "/") throw new InvalidArgumentException($"mount target {target} is the root directory: a mount cannot replace the root filesystem");
        return path;
    }

    /// <summary>
    /// Takes the leases of every cache mount of the step, in the ordinal order of their instance
    /// names rather than the order written: two steps (or two builds) locking caches x,y and y,x
    /// would otherwise each hold one and wait for the other forever. Returns each mount's name.
    /// </summary>
    private async Task<Dictionary<RunMount, string>> AcquireCachesAsync(PreparedMounts prepared, IReadOnlyList<RunMount> mounts, CancellationToken cancellationToken)
    {
        var names = new Dictionary<RunMount, string>(ReferenceEqualityComparer.Instance);
        var wanted = new List<(string Name, RunMount Mount, string? SeedKey, Func<string, CancellationToken, Task>? Seed)>();
        foreach (var mount in mounts.Where(m => m.Type == MountType.Cache))
        {
            var (seedKey, seed) = await SeedAsync(mount, cancellationToken).ConfigureAwait(false);
            var name = CacheMountStore.InstanceName(mount, seedKey);
            names[mount] = name;
            wanted.Add((name, mount, seedKey, seed));
        }
        foreach (var (name, mount, seedKey, seed) in wanted.OrderBy(w => w.Name, StringComparer.Ordinal))
        {
            // Two mounts of one name are one cache (BuildKit's per-exec cache refs): the first leases it.
            if (prepared.CacheLeases.ContainsKey(name)) continue;
            prepared.CacheLeases[name] = prepared.Own(await CacheMountStore.AcquireAsync(_build.Store.Layout.Root, mount, seedKey, seed, cancellationToken).ConfigureAwait(false));
        }
        return names;
    }

    /// <summary>For a cache with <c>from=</c>: what seeds it (part of its name) and how to fill it.</summary>
    private async Task<(string? Key, Func<string, CancellationToken, Task>? Seed)> SeedAsync(RunMount mount, CancellationToken cancellationToken)
    {
        if (mount.From is not { } from) return (null, null);
        // BuildKit keys a seeded cache by its id and the source's content (its ref), so a
        // changed source starts a new cache; filled once, later builds keep what is there.
        var snapshot = await _build.SourceSnapshotAsync(from, cancellationToken).ConfigureAwait(false);
        var source = mount.Source ?? "/";
        return ((snapshot ?? "empty") + ":" + source, async (directory, ct) =>
        {
            var view = await _build.Workspace.ViewAsync(snapshot, ct).ConfigureAwait(false);
            await using (view.ConfigureAwait(false))
            {
                Existing(view.Path, source, from);
                await FileCopier.CopyAsync(new CopyRequest { SourceRoot = view.Path, Sources = [source], Destination = "/", KeepOwners = true, Keyword = "RUN --mount" }, directory, ct).ConfigureAwait(false);
            }
        });
    }

    private async Task BindAsync(PreparedMounts prepared, RunMount mount, string target, CancellationToken cancellationToken)
    {
        var source = mount.Source ?? "/";
        if (mount.From is null)
        {
            var context = _build.Request.ContextDirectory;
            var resolved = Existing(context, source, null);
            // The context as BuildKit receives it has the .dockerignore'd files left out: with
            // patterns (or rw, whose writes must not reach the context) the mount gets a copy.
            if (mount.ReadOnly && _build.Ignore.Count == 0)
            {
                prepared.Mounts.Add(new ContainerMount(target, "bind", resolved, ["rbind", "ro"]));
                return;
            }
            var copy = await CopyAsync(prepared, context, source, _build.Ignore, keepOwners: false, cancellationToken).ConfigureAwait(false);
            prepared.Mounts.Add(new ContainerMount(target, "bind", copy, mount.ReadOnly ? ["rbind", "ro"] : ["rbind"]));
            return;
        }
        var (root, view) = await SourceRootAsync(mount.From, cancellationToken).ConfigureAwait(false);
        prepared.Own(view);
        var inStage = Existing(root, source, mount.From);
        if (mount.ReadOnly)
        {
            prepared.Mounts.Add(new ContainerMount(target, "bind", inStage, ["rbind", "ro"]));
            return;
        }
        // rw: writes go to a copy that is deleted after the step, as BuildKit discards them.
        var writable = await CopyAsync(prepared, root, source, null, keepOwners: true, cancellationToken).ConfigureAwait(false);
        prepared.Mounts.Add(new ContainerMount(target, "bind", writable, ["rbind"]));
    }

    private async Task SecretAsync(PreparedMounts prepared, RunMount mount, string? target, Func<PrivateTempDirectory> directory, CancellationToken cancellationToken)
    {
        var id = mount.Id ?? "";
        if (!_build.Request.Secrets.TryGetValue(id, out var value))
        {
            if (mount.Required) throw new NotFoundException($"secret {id} is required but was not given (strata build --secret id={id},src=FILE)");
            return;
        }
        if (mount.Env is { } env)
        {
            prepared.Env.Add(env + "=" + System.Text.Encoding.UTF8.GetString(value));
        }
        if (target is not null)
        {
            var dir = directory();
            var file = await dir.WriteFileAsync($"secret-{prepared.Mounts.Count}", value, mount.Mode ?? 0x100, mount.Uid ?? 0, mount.Gid ?? 0, cancellationToken).ConfigureAwait(false);
            prepared.Mounts.Add(new ContainerMount(target, "bind", file, ["rbind", "ro", "nosuid", "nodev", "noexec"]));
        }
    }

    /// <summary>Mounts a relay of the agent named by the mount's id; skipped when it is not given and not required (as BuildKit does).</summary>
    private void Ssh(PreparedMounts prepared, RunMount mount, string target, Func<PrivateTempDirectory> directory)
    {
        var id = mount.Id ?? "default";
        if (!_build.Request.SshAgents.TryGetValue(id, out var agent))
        {
            if (mount.Required) throw new NotFoundException($"ssh agent {id} is required but was not given (strata build --ssh {id}[=SOCKET])");
            return;
        }
        var socket = Path.Combine(directory().Path, $"ssh-{prepared.Mounts.Count}.sock");
        var proxy = prepared.Own(SshAgentProxy.Start(agent, socket, mount.Mode ?? 0x180, mount.Uid ?? 0, mount.Gid ?? 0));
        prepared.Mounts.Add(new ContainerMount(target, "bind", proxy.Path, ["rbind"]));
    }

    /// <summary>The root a from= names, mounted read-only for the step.</summary>
    private async Task<(string Root, IMountedView View)> SourceRootAsync(string from, CancellationToken cancellationToken)
    {
        var view = await _build.Workspace.ViewAsync(await _build.SourceSnapshotAsync(from, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        return (view.Path, view);
    }

    /// <summary>The host path of <paramref name="source"/> inside <paramref name="root"/>; links cannot lead out of the root.</summary>
    private static string Existing(string root, string source, string? from)
    {
        var resolved = ScopedPath.Resolve(root, source);
        if (!Libc.TryLstat(resolved, out _))
            throw new NotFoundException($"mount source {source} not found in {(from is null ? "the build context" : from)}");
        return resolved;
    }

    private static async Task<string> CopyAsync(PreparedMounts prepared, string root, string source, PatternMatcher? ignore, bool keepOwners, CancellationToken cancellationToken)
    {
        var temp = prepared.Own(new DeletedDirectory(Directory.CreateTempSubdirectory("strata-bind-").FullName));
        await FileCopier.CopyAsync(new CopyRequest { SourceRoot = root, Ignore = ignore, Sources = [source], Destination = "/mount", KeepOwners = keepOwners, Keyword = "RUN --mount" }, temp.Path, cancellationToken).ConfigureAwait(false);
        var copy = Path.Combine(temp.Path, "mount");
        // The context's root itself may be all ignored: the mount still gets a directory.
        if (!Libc.TryLstat(copy, out _)) Directory.CreateDirectory(copy);
        return copy;
    }
}
