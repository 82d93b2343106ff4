using Strata.Core;
using Strata.Dockerfile.Instructions;
using Strata.Images;

namespace Strata.Build.Engine;

/// <summary>
/// The stage's platform (<c>FROM --platform</c>, else <c>--platform</c>, else the host's): the base
/// image must be of it, a scratch stage's config says it, and RUN for a platform the host cannot
/// execute fails before the runtime starts.
/// </summary>
internal sealed partial class StageBuilder
{
    private Platform StagePlatform => _stage.Stage.Platform is { Length: > 0 } p ? Platform.Parse(p) : _build.Request.Platform;

    /// <summary>
    /// The store keeps one platform per image name (as docker's classic image store does), so a
    /// base of another platform is an error naming both rather than a silent wrong-arch build.
    /// </summary>
    private void CheckBasePlatform(StoredImage image)
    {
        // Without any platform asked for, the base's own platform is used (as docker does with a
        // local image); RUN then checks that this host can execute it.
        bool asked = _stage.Stage.Platform is { Length: > 0 } || _build.Request.Platform != Platform.Host;
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

    /// <summary>Fails RUN in an image (of <paramref name="platform"/>) whose binaries this host can neither run natively nor through binfmt_misc.</summary>
    private void EnsureCanRun(RunInstruction run, Platform platform)
    {
        if (BinfmtMisc.CanExecute(platform, Platform.Host, out var why)) return;
        throw new BuildStepException($"{FileName}:{run.Range.StartLine}: RUN {string.Join(' ', run.Command.Args)}: cannot run {platform} binaries on this {Platform.Host} host: {why}");
    }
}
