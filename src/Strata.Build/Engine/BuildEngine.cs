using Strata.Build.Context;
using Strata.Build.Progress;
using Strata.Core;
using Strata.Dockerfile;
using Strata.Dockerfile.Expansion;
using Strata.Dockerfile.Instructions;
using Strata.Images;
using Strata.Oci;
using Strata.Rootfs;

namespace Strata.Build.Engine;

/// <summary>
/// Builds an image from a Dockerfile: parses and expands it, builds only the stages the target
/// needs, independent stages at the same time (a stage waits only for the stages it uses), and
/// records the final stage as an image in the store under the requested tags.
/// </summary>
public sealed partial class BuildEngine
{
    private readonly ImageStore _store;
    private readonly ILayerWorkspace _workspace;
    private readonly IStepRunner _runner;
    private readonly IBaseImagePuller? _puller;

    /// <param name="puller">Pulls base images the store lacks (and checks them again with --pull); null: offline, every base must be in the store.</param>
    public BuildEngine(ImageStore store, ILayerWorkspace workspace, IStepRunner runner, IBaseImagePuller? puller = null)
    {
        _store = store;
        _workspace = workspace;
        _runner = runner;
        _puller = puller;
    }

    public async Task<BuildResult> BuildAsync(BuildRequest request, IBuildProgress progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(progress);
        // Every blob, snapshot and cache record the build makes or reuses is held by this lease
        // until its image is recorded (and exported), so a prune in another process never takes
        // them from under it; a build that fails keeps what it made as cache.
        await using var lease = _store.Leases.Begin();
        // --build-context values that need fetching or importing become directory and image contexts first.
        var checkouts = await GitContextCheckouts.CheckOutAsync(_store, request, cancellationToken).ConfigureAwait(false);
        await using (checkouts.ConfigureAwait(false))
        {
            request = await OciLayoutImporter.ResolveAsync(_store, checkouts.Request, cancellationToken).ConfigureAwait(false);
            if (request.Platforms.Count > 1) return await BuildPlatformsAsync(request, progress, cancellationToken).ConfigureAwait(false);
            return await BuildCoreAsync(request, progress, null, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <param name="shared">What the platform builds of a multi-platform build share (BuildEngine.Platforms.cs); null for a build of one platform.</param>
    private async Task<BuildResult> BuildCoreAsync(BuildRequest request, IBuildProgress progress, SharedPlatformState? shared, CancellationToken cancellationToken)
    {
        var fileName = request.DockerfileName;
        var definition = DockerfileFrontend.Parse(request.DockerfileText, fileName);

        // Base images in the store are looked up first so their ENV is in scope while expanding.
        var ids = shared?.Ids ?? new StepIds();
        var bases = shared?.Bases ?? new BaseImages(_store, _puller, request, progress, ids);
        var images = new Dictionary<string, StoredImage>(StringComparer.Ordinal);
        var stageNames = definition.Stages.Select(s => s.Name).OfType<string>().Select(n => n.ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);
        foreach (var stage in definition.Stages)
        {
            var name = stage.BaseName;
            // A named context replaces the image or stage (a directory one has no ENV).
            var named = request.NamedContextFor(name);
            if (name.Contains('$', StringComparison.Ordinal) || (named is null && stageNames.Contains(name.ToLowerInvariant())) || name == "scratch") continue;
            if (named is not null && named.Kind != NamedContextKind.Image) continue;
            if (await bases.TryLocalAsync(named?.Value ?? name, named is null ? StageBase.AskedPlatform(stage.Platform, request) : null, cancellationToken).ConfigureAwait(false) is { } found)
                images[name] = found;
        }
        var options = new BuildOptions
        {
            BuildArgs = request.BuildArgs,
            Target = request.Target,
            TargetPlatform = request.Platform,
            BaseImageEnv = name => images.TryGetValue(name, out var img) ? EnvOf(img) : null,
            IsNamedContext = name => request.NamedContextFor(name) is not null,
        };
        var expanded = BuildArgsScope.Expand(definition, options, fileName);
        // A RUN this host cannot execute fails now, before any base is pulled or step runs.
        EmulationPreflight.Check(expanded, request);
        // Then the bases of the stages the target needs that the store lacks (or every one, with
        // --pull) come from their registries, and the Dockerfile is expanded again with their ENV.
        if (await PullBasesAsync(definition, expanded, bases, images, request, cancellationToken).ConfigureAwait(false))
            expanded = BuildArgsScope.Expand(definition, options, fileName);
        // In Dockerfile order (parser and expansion findings come in two passes); line-less ones last.
        foreach (var warning in expanded.Warnings.OrderBy(w => w.Line == 0 ? int.MaxValue : w.Line))
            progress.Warning(FrontendWarnings.From(warning, fileName, request.DockerfileText));
        var ignore = new PatternMatcher(await DockerIgnoreFile.ReadForBuildAsync(request.ContextDirectory, request.DockerfilePath, cancellationToken).ConfigureAwait(false));

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var cache = await Cache.CacheSession.OpenAsync(_store, _workspace, request, progress, platformScoped: shared is not null, cancellationToken).ConfigureAwait(false);
        var context = new BuildContext(_store, _workspace, _runner, progress, request, ignore, expanded)
        {
            Bases = bases,
            Ids = ids,
            Shared = shared,
            Cache = cache,
            WrittenArgs = definition.Stages.SelectMany(s => s.Instructions).OfType<ArgInstruction>().ToDictionary(a => a.Range.StartLine),
        };
        var target = expanded.Graph.Target;
        // Like BuildKit, which solves the whole graph at once, every stage the target needs starts
        // now. Started only when first awaited, a stage used by a later COPY --from would wait for
        // the COPY before it (two independent stages copied by one final stage ran one after the
        // other). Each stage still waits only for the stages it uses.
        var stages = context.StagesToStart().Select(i => context.StageAsync(i, stop.Token)).ToList();
        StageState final;
        try
        {
            final = await context.StageAsync(target.Index, stop.Token).ConfigureAwait(false);
        }
        finally
        {
            // Nothing of this build may run once it returns: a failure stops the other stages.
            await stop.CancelAsync().ConfigureAwait(false);
            try
            {
                await Task.WhenAll(stages).ConfigureAwait(false);
            }
            catch (Exception) when (stages.Any(t => t.IsFaulted || t.IsCanceled))
            {
                // Their errors are the build's error (already thrown) or cancellations caused by it.
            }
        }

        // The image is as old as its last step (BuildKit's rule): a build where every step hit
        // keeps the cached history times, so it has the same image ID.
        var created = request.SourceDateEpoch ?? (final.History.Count > 0 && final.History[^1].Created is { } last ? last : _store.Now);
        var container = final.Container;
        if (request.Labels.Count > 0)
        {
            var labels = new SortedDictionary<string, string>(StringComparer.Ordinal);
            foreach (var (k, v) in container.Labels ?? new Dictionary<string, string>()) labels[k] = v;
            foreach (var (k, v) in request.Labels) labels[k] = v;
            container = container with { Labels = labels };
        }
        container = cache.WithInlineKeys(container, expanded);
        var config = final.Config with { Created = created, Config = container, History = final.History };
        var image = await _store.CommitImageAsync(config, final.Layers, request.Tags, Provenance(final, request.DockerfileName), cancellationToken).ConfigureAwait(false);
        await cache.CompleteAsync(expanded, cancellationToken).ConfigureAwait(false);
        return new BuildResult(image, context.StepsRun, context.LayersCreated) { Images = [image] };
    }

    /// <summary>
    /// Resolves the base image of every stage the target needs through <paramref name="bases"/>
    /// (pulling what the store lacks, or everything with --pull); a failure names the FROM line.
    /// Returns whether an image whose ENV the expansion reads was added or changed.
    /// </summary>
    private async Task<bool> PullBasesAsync(DockerfileDefinition definition, ExpandedDockerfile expanded, BaseImages bases, Dictionary<string, StoredImage> images, BuildRequest request, CancellationToken cancellationToken)
    {
        if (_puller is null) return false;
        bool changed = false;
        foreach (var stage in expanded.Stages)
        {
            var name = stage.Stage.BaseName;
            if (stage.BaseStage is not null || request.NamedContextFor(name) is not null || name == "scratch") continue;
            // A FROM $ARG name gives no ENV to the expansion (as before a registry was involved).
            bool fromArg = definition.Stages.First(s => s.Index == stage.Stage.Index).BaseName.Contains('$', StringComparison.Ordinal);
            if (!fromArg && images.ContainsKey(name) && !request.Cache.Pull) continue;
            StoredImage image;
            try
            {
                image = await bases.GetAsync(name, StageBase.AskedPlatform(stage.Stage.Platform, request), cancellationToken).ConfigureAwait(false);
            }
            catch (StrataException ex)
            {
                var from = stage.Stage.From;
                throw new BuildStepException($"{request.DockerfileName}:{from.Range.StartLine}: {from.Original}: {ex.Message}", ex);
            }
            if (fromArg || (images.TryGetValue(name, out var had) && had.Id == image.Id)) continue;
            images[name] = image;
            changed = true;
        }
        return changed;
    }

    /// <summary>
    /// Where each step came from, on the manifest (not the config, so the image ID stays
    /// BuildKit's): the base's layer count and each history entry's Dockerfile line. Small (one
    /// number per entry) and kept by save/load and OCI exports.
    /// </summary>
    private static SortedDictionary<string, string> Provenance(StageState final, string dockerfileName)
    {
        var lines = Enumerable.Range(0, final.History.Count).Select(i => i < final.HistoryLines.Count && final.HistoryLines[i] > 0
            ? final.HistoryLines[i].ToString(System.Globalization.CultureInfo.InvariantCulture) : "");
        return new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            [StoreAnnotations.BuildBaseLayers] = final.BaseLayers.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [StoreAnnotations.BuildDockerfile] = dockerfileName,
            [StoreAnnotations.BuildLines] = string.Join(',', lines),
        };
    }

    private static List<KeyValue> EnvOf(StoredImage image) =>
        [.. (image.Config.Config?.Env ?? []).Select(e => e.Split('=', 2)).Select(p => new KeyValue(p[0], p.Length > 1 ? p[1] : ""))];
}
