using System.Collections.Concurrent;
using Strata.Build.Context;
using Strata.Build.Progress;
using Strata.Core;
using Strata.Dockerfile.Expansion;
using Strata.Images;
using Strata.Oci;
using Strata.Rootfs;

namespace Strata.Build.Engine;

/// <summary>
/// One build's shared state: every stage is built at most once, as a task other stages await
/// (FROM, COPY --from), so independent stages run concurrently; step ids for progress.
/// </summary>
internal sealed partial class BuildContext
{
    private readonly ConcurrentDictionary<int, Lazy<Task<StageState>>> _stages = new();
    private int _stepsRun;
    private int _layersCreated;
    // Made on first use: the platform builds of a multi-platform build use the shared one.
    private readonly Lazy<SemaphoreSlim> _ownRunSlots = new(() => new SemaphoreSlim(Math.Max(1, Environment.ProcessorCount)));

    public BuildContext(ImageStore store, ILayerWorkspace workspace, IStepRunner runner, IBuildProgress progress, BuildRequest request, PatternMatcher ignore, ExpandedDockerfile dockerfile)
    {
        Store = store;
        Workspace = workspace;
        Runner = runner;
        Progress = progress;
        Request = request;
        Ignore = ignore;
        Dockerfile = dockerfile;
        SecretMask = SecretMask.For(request.Secrets.Values);
    }

    public ImageStore Store { get; }

    /// <summary>Base images of this build, from the store or pulled (BaseImages.cs).</summary>
    public required BaseImages Bases { get; init; }

    /// <summary>Progress ids, shared with the base image resolves that ran before the stages.</summary>
    public required StepIds Ids { get; init; }

    /// <summary>This build's use of the cache: decisions, records, previous inputs (Cache/CacheSession.cs).</summary>
    public required Cache.CacheSession Cache { get; init; }

    public ILayerWorkspace Workspace { get; }

    public IStepRunner Runner { get; }

    public IBuildProgress Progress { get; }

    public BuildRequest Request { get; }

    /// <summary>Every <c>--secret</c> value, masked in RUN output (progress, the stored log, error messages).</summary>
    public SecretMask SecretMask { get; }

    public PatternMatcher Ignore { get; }

    public ExpandedDockerfile Dockerfile { get; }

    /// <summary>Stage ARG instructions as written (before build args replaced their defaults), by line.</summary>
    public IReadOnlyDictionary<int, Dockerfile.Instructions.ArgInstruction> WrittenArgs { get; init; } = new Dictionary<int, Dockerfile.Instructions.ArgInstruction>();

    /// <summary>Bounds concurrent RUN steps by the number of cores (across every platform of a multi-platform build).</summary>
    public SemaphoreSlim RunSlots => Shared?.RunSlots ?? _ownRunSlots.Value;

    /// <summary>What the platform builds of a multi-platform build share; null in a build of one platform.</summary>
    public SharedPlatformState? Shared { get; init; }

    /// <summary>
    /// The platform a stage's steps run as: its <c>FROM --platform</c>, else its base stage's,
    /// else the build's (a base image of another platform without <c>--platform</c> is checked
    /// when its RUN starts).
    /// </summary>
    public Platform PlatformOf(ExpandedStage stage) => StagePlatforms.Of(stage, Dockerfile, Request);

    /// <summary>
    /// The platform part of a step's label in a multi-platform build, as BuildKit writes it:
    /// <c>linux/arm64 </c>, or <c>linux/amd64->arm64 </c> for a stage running natively for
    /// another target; empty in a build of one platform.
    /// </summary>
    public string PlatformLabel(ExpandedStage stage)
    {
        if (Shared is null) return "";
        var runs = PlatformOf(stage);
        var target = Request.Platform;
        var arrow = runs.Os != target.Os ? "->" + target
            : runs.Architecture != target.Architecture ? "->" + (target.Variant is null ? target.Architecture : target.Architecture + "/" + target.Variant)
            : "";
        return $"{runs}{arrow} ";
    }

    public int StepsRun => _stepsRun;

    public int LayersCreated => _layersCreated;

    public int NextStepId() => Ids.Next();

    public void CountStep(bool madeLayer)
    {
        Interlocked.Increment(ref _stepsRun);
        if (madeLayer) Interlocked.Increment(ref _layersCreated);
    }

    /// <summary>The final state of stage <paramref name="index"/>, building it (once) if needed.</summary>
    public Task<StageState> StageAsync(int index, CancellationToken cancellationToken) =>
        _stages.GetOrAdd(index, i => new Lazy<Task<StageState>>(() => Named(StageAt(i).Stage.Name) is { } named
            ? NamedStateAsync(named, cancellationToken) // --build-context overrides the stage (BuildContext.Named.cs)
            : Task.Run(() => new StageBuilder(this, StageAt(i)).BuildAsync(cancellationToken), cancellationToken))).Value;

    /// <summary>
    /// The committed snapshot a COPY --from / mount from= names: the stage's result (built once,
    /// waiting for it) or the image's unpacked layers; null for an empty root.
    /// </summary>
    public async Task<string?> SourceSnapshotAsync(string from, CancellationToken cancellationToken)
    {
        if (Named(from) is { } named) return (await NamedStateAsync(named, cancellationToken).ConfigureAwait(false)).Snapshot;
        if (FindStage(from) is { } stageIndex)
            return (await StageAsync(stageIndex, cancellationToken).ConfigureAwait(false)).Snapshot;
        var image = await ImageAsync(from, StageBase.AskedPlatform(null, Request), cancellationToken).ConfigureAwait(false);
        return await Workspace.EnsureUnpackedAsync(image, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The stage a name or index refers to in COPY --from / mount from=, or null for an image reference.</summary>
    public int? FindStage(string nameOrIndex)
    {
        foreach (var expanded in Dockerfile.Stages)
        {
            var s = expanded.Stage;
            if (s.Name is not null && string.Equals(s.Name, nameOrIndex, StringComparison.OrdinalIgnoreCase)) return s.Index;
        }
        return int.TryParse(nameOrIndex, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && Dockerfile.Stages.Any(s => s.Stage.Index == n) ? n : null;
    }

    /// <summary>
    /// A stage by its index in the Dockerfile. <see cref="ExpandedDockerfile.Stages"/> holds only
    /// the stages the target needs, in build order, so the list position is not the index.
    /// </summary>
    private ExpandedStage StageAt(int index) =>
        Dockerfile.Stages.FirstOrDefault(s => s.Stage.Index == index)
        ?? throw new InvalidOperationException($"stage {index} is not among the stages the target needs");

    /// <summary>An image from the store, or pulled when the build has a registry (an absent image is an error naming it).</summary>
    /// <param name="platform">The platform asked for (FROM --platform, --platform), or null for none.</param>
    public Task<StoredImage> ImageAsync(string name, Platform? platform, CancellationToken cancellationToken) =>
        Bases.GetAsync(name, platform, cancellationToken);

    public ImageConfig EmptyConfig() => new(Request.Platform.Architecture, Request.Platform.Os, new RootFs([]))
    {
        Variant = Request.Platform.Variant,
        // BuildKit's empty image (FROM scratch) has WorkingDir "/" (and PATH, added for every base).
        Config = new ContainerConfig { WorkingDir = "/" },
    };
}
