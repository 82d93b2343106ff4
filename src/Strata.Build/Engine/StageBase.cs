using Strata.Build.Cache;
using Strata.Core;
using Strata.Dockerfile.Expansion;
using Strata.Images;

namespace Strata.Build.Engine;

/// <summary>
/// What a stage starts from (FROM): a named context, another stage's final state, scratch with
/// the stage's platform, or a stored image of that platform unpacked; and the stage's first
/// cache chain, keyed by the base image's ID (its config digest) or chained on the base stage's key.
/// </summary>
internal sealed class StageBase
{
    private readonly BuildContext _build;
    private readonly ExpandedStage _stage;

    public StageBase(BuildContext build, ExpandedStage stage)
    {
        _build = build;
        _stage = stage;
    }

    /// <summary>The base's state as the stage finds it (a base stage's or context's own final state).</summary>
    public async Task<StageState> StateAsync(CancellationToken cancellationToken)
    {
        if (_build.Named(_stage.Stage.BaseName) is { } named) return await _build.NamedStateAsync(named, cancellationToken).ConfigureAwait(false);
        if (_stage.BaseStage is { } baseIndex) return await _build.StageAsync(baseIndex, cancellationToken).ConfigureAwait(false);
        if (string.Equals(_stage.Stage.BaseName, "scratch", StringComparison.OrdinalIgnoreCase))
            return WithStagePlatform(new StageState(_build.EmptyConfig(), [], [], null, false));
        var image = await _build.ImageAsync(_stage.Stage.BaseName, AskedPlatform(_stage.Stage.Platform, _build.Request), cancellationToken).ConfigureAwait(false);
        CheckBasePlatform(image);
        var snapshot = await _build.Workspace.EnsureUnpackedAsync(image, cancellationToken).ConfigureAwait(false);
        return new StageState(image.Config, image.Layers, image.Config.History ?? [], snapshot, false);
    }

    /// <summary>
    /// The platform a base image is looked up for: the stage's <c>FROM --platform</c>, else the
    /// build's <c>--platform</c> when one was given, else none (a plain image of any platform is
    /// used as it is, as docker uses a local image; an index gives the host's child).
    /// </summary>
    public static Platform? AskedPlatform(string? stagePlatform, BuildRequest request) =>
        stagePlatform is { Length: > 0 } p && !p.Contains('$', StringComparison.Ordinal) ? Platform.Parse(p)
            : request.Platform != Platform.Host || request.PlatformAsked ? request.Platform
            : null;

    private Platform StagePlatform => _build.PlatformOf(_stage);

    /// <summary>
    /// The store keeps one platform per image name (as docker's classic image store does), so a
    /// base of another platform is an error naming both rather than a silent wrong-arch build.
    /// </summary>
    private void CheckBasePlatform(StoredImage image)
    {
        // Without any platform asked for, the base's own platform is used (as docker does with a
        // local image); RUN then checks that this host can execute it.
        bool asked = _stage.Stage.Platform is { Length: > 0 } || _build.Request.Platform != Platform.Host || _build.Request.PlatformAsked;
        if (!asked) return;
        var want = StagePlatform;
        var have = image.Config.Platform;
        bool variantDiffers = want.Variant is not null && have.Variant is not null && want.Variant != have.Variant;
        if (have.Os != want.Os || have.Architecture != want.Architecture || variantDiffers)
            throw new FailedPreconditionException($"image {_stage.Stage.BaseName} is {have}, not {want}: import or load a {want} image (the store holds one platform per image name)");
    }

    /// <summary>A scratch stage's config carries the stage's platform.</summary>
    private StageState WithStagePlatform(StageState state)
    {
        var p = StagePlatform;
        return state with { Config = state.Config with { Os = p.Os, Architecture = p.Architecture, Variant = p.Variant } };
    }

    /// <summary>The stage's first cache chain, from what it starts from; <paramref name="baseState"/> is a base stage's or context's own final state.</summary>
    public async Task<CacheChain> ChainAsync(StageState baseState, CancellationToken cancellationToken)
    {
        // The stage's own platform, not the build's: a FROM --platform=$BUILDPLATFORM stage has
        // the same keys in every platform build of a multi-platform build, so it is built once.
        var platform = StagePlatform.ToString();
        var named = _build.Named(_stage.Stage.BaseName);
        if (_stage.BaseStage is not null || named is not null)
        {
            var baseChain = baseState.Cache;
            var text = (named is null ? "stage " : "context ") + (baseChain?.Key.ToString() ?? "unknown");
            var key = baseChain?.Key ?? CacheKey.Of("stage without key\n" + Guid.NewGuid());
            string? rebuilt = baseChain is null || baseChain.Rebuilt
                ? (named is null ? $"base stage {_stage.Stage.BaseName} rebuilt" : $"build context {_stage.Stage.BaseName} changed")
                : null;
            return new CacheChain(key, text) { BaseRebuilt = rebuilt };
        }
        var cacheBase = "scratch";
        if (!string.Equals(_stage.Stage.BaseName, "scratch", StringComparison.OrdinalIgnoreCase))
        {
            // A base image is part of the key by its image ID (config digest): retagging the name to
            // another image misses, while the same image stored or loaded with other compression hits.
            var image = await _build.ImageAsync(_stage.Stage.BaseName, AskedPlatform(_stage.Stage.Platform, _build.Request), cancellationToken).ConfigureAwait(false);
            if (_build.Cache.Options.Pull) await CacheBasePull.VerifyAsync(_build.Store, _stage.Stage.BaseName, image, cancellationToken).ConfigureAwait(false);
            cacheBase = BaseImageKey.Of(image.Id);
        }
        return new CacheChain(CacheKey.Of(cacheBase + "\n" + platform), cacheBase);
    }
}
