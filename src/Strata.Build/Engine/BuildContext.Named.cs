using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Strata.Build.Cache;
using Strata.Build.Context;
using Strata.Core;
using Strata.Dockerfile;
using Strata.Dockerfile.Expansion;
using Strata.Images;

namespace Strata.Build.Engine;

/// <summary>
/// <c>--build-context NAME=VALUE</c>, resolved as BuildKit's Dockerfile frontend does: a named
/// context overrides a stage of the same name (its instructions are not run) and any image
/// <c>FROM NAME</c>, <c>COPY --from=NAME</c> or <c>RUN --mount=from=NAME</c> would otherwise pull.
/// A directory context is read with its own <c>.dockerignore</c> and owned by root (BuildKit's
/// client resets uid/gid); used as a root filesystem it is an internal stage
/// <c>FROM scratch / COPY --from=NAME . /</c>, so it gets a layer, a cache key from the
/// directory's content and truthful miss reasons like any COPY.
/// </summary>
internal sealed partial class BuildContext
{
    private readonly ConcurrentDictionary<string, Lazy<Task<StageState>>> _namedStates = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, Lazy<Task<PatternMatcher>>> _namedIgnores = new(StringComparer.Ordinal);

    /// <summary>The named context called <paramref name="name"/>, or null (<see cref="BuildRequest.NamedContextFor"/>).</summary>
    public NamedContext? Named(string? name) => Request.NamedContextFor(name);

    /// <summary>The named context called <paramref name="name"/> whose value is a directory (a local one or a git checkout), or null.</summary>
    public NamedContext? NamedDirectory(string? name) => Named(name) is { Kind: NamedContextKind.Directory or NamedContextKind.Git } c ? c : null;

    /// <summary>The patterns of a local directory context's own <c>.dockerignore</c> (none when it has none, or for a git checkout), read once per build.</summary>
    public Task<PatternMatcher> NamedIgnoreAsync(NamedContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return _namedIgnores.GetOrAdd(context.Value, dir => new Lazy<Task<PatternMatcher>>(async () =>
        {
            var file = Path.Combine(dir, ".dockerignore");
            var patterns = context.Kind == NamedContextKind.Directory && File.Exists(file) ? DockerIgnoreFile.Parse(await File.ReadAllTextAsync(file, Encoding.UTF8, cancellationToken).ConfigureAwait(false)) : [];
            try
            {
                return new PatternMatcher(patterns);
            }
            catch (InvalidArgumentException ex)
            {
                throw new InvalidArgumentException($"--build-context \"{context.Flag}\": {file}: {ex.Message}", ex);
            }
        })).Value;
    }

    /// <summary>What the named context is as a stage result (FROM NAME, a stage it overrides, a mount or copy source), built once per build.</summary>
    public Task<StageState> NamedStateAsync(NamedContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return _namedStates.GetOrAdd(context.Name, _ => new Lazy<Task<StageState>>(() => Task.Run(() => context.Kind == NamedContextKind.Image
            ? NamedImageStateAsync(context, cancellationToken)
            : new StageBuilder(this, DirectoryStage(context)).BuildAsync(cancellationToken), cancellationToken))).Value;
    }

    /// <summary>
    /// The image a <c>docker-image://</c> context names: the store's, else pulled from its registry
    /// for the build's platform as a missing FROM image is (<see cref="BaseImages"/>); an offline
    /// build (no puller) or a failed pull is an error naming the flag.
    /// </summary>
    public async Task<StoredImage> NamedImageAsync(NamedContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (await Store.TryGetAsync(context.Value, cancellationToken).ConfigureAwait(false) is { } stored) return stored;
        var missing = $"--build-context \"{context.Flag}\": image {context.Value} is not in the local store";
        if (!Bases.CanPull) throw new NotFoundException(missing + " (import or load it first)");
        try
        {
            return await Bases.GetAsync(context.Value, null, cancellationToken).ConfigureAwait(false);
        }
        catch (StrataException ex)
        {
            throw new NotFoundException($"{missing} and its pull failed: {ex.InnerException?.Message ?? ex.Message}", ex);
        }
    }

    /// <summary>
    /// The stages the build must start: the target and what it uses, not walking into a stage a
    /// named context overrides (its own dependencies are not needed).
    /// </summary>
    public IReadOnlyList<int> StagesToStart()
    {
        var graph = Dockerfile.Graph;
        var seen = new HashSet<int>();
        var pending = new Stack<int>([graph.Target.Index]);
        while (pending.TryPop(out var index))
        {
            if (!seen.Add(index)) continue;
            var stage = graph.Stages[index];
            if (Named(stage.Name) is not null) continue;
            foreach (var dependency in graph.DependenciesOf(stage)) pending.Push(dependency.Index);
        }
        return [.. Dockerfile.Stages.Select(s => s.Stage.Index).Where(seen.Contains)];
    }

    private async Task<StageState> NamedImageStateAsync(NamedContext context, CancellationToken cancellationToken)
    {
        var image = await NamedImageAsync(context, cancellationToken).ConfigureAwait(false);
        var snapshot = await Workspace.EnsureUnpackedAsync(image, cancellationToken).ConfigureAwait(false);
        // Stages built on it chain their keys from the image's ID, as FROM IMAGE does.
        var cacheBase = BaseImageKey.Of(image.Id);
        return new StageState(image.Config, image.Layers, image.Config.History ?? [], snapshot, false)
        {
            Cache = new CacheChain(CacheKey.Of($"{cacheBase}\n{Request.Platform}"), cacheBase),
        };
    }

    /// <summary>
    /// The internal stage that turns a directory context into a root filesystem. Its index is
    /// negative (one per context), so its cache slots never collide with the Dockerfile's stages.
    /// </summary>
    private ExpandedStage DirectoryStage(NamedContext context)
    {
        int position = Request.NamedContexts.ToList().FindIndex(c => c.Matches(context.Name));
        var expanded = DockerfileFrontend.ParseAndExpand($"FROM scratch\nCOPY --from={context.Name} . /", new BuildOptions { TargetPlatform = Request.Platform }, "--build-context " + context.Name);
        var stage = expanded.Stages[0];
        return stage with { Stage = stage.Stage with { Index = -1 - position, Name = "context " + context.Name.ToLower(CultureInfo.InvariantCulture) } };
    }
}
