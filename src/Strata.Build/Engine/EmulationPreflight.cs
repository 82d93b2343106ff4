using Strata.Core;
using Strata.Dockerfile.Expansion;
using Strata.Dockerfile.Instructions;

namespace Strata.Build.Engine;

/// <summary>
/// Before any step starts (and before any base is pulled): every stage the target needs that has
/// a RUN must be runnable on this host as the platform it runs as, natively or through a
/// binfmt_misc handler usable inside the container. The first stage that is not fails the build
/// in one line naming its first RUN, the platform and how to enable a handler. A stage whose
/// platform only its base image says (no <c>--platform</c> anywhere) is checked when its RUN
/// starts; so are the ONBUILD triggers of a base.
/// </summary>
internal static class EmulationPreflight
{
    /// <exception cref="BuildStepException">A stage with a RUN runs as a platform this host cannot execute.</exception>
    public static void Check(ExpandedDockerfile dockerfile, BuildRequest request)
    {
        ArgumentNullException.ThrowIfNull(dockerfile);
        ArgumentNullException.ThrowIfNull(request);
        var checkedPlatforms = new HashSet<Platform>();
        foreach (var stage in dockerfile.Stages)
        {
            if (stage.Steps.Select(s => s.Instruction).OfType<RunInstruction>().FirstOrDefault() is not { } run) continue;
            var platform = StagePlatforms.Of(stage, dockerfile, request);
            if (!checkedPlatforms.Add(platform)) continue;
            if (!BinfmtMisc.CanExecute(platform, Platform.Host, request.BinfmtMiscRoot, out var why))
                throw new BuildStepException(Message(request.DockerfileName, run, platform, why));
        }
    }

    /// <summary>The one line a RUN that cannot run as <paramref name="platform"/> fails with.</summary>
    public static string Message(string fileName, RunInstruction run, Platform platform, string why)
    {
        ArgumentNullException.ThrowIfNull(run);
        return $"{fileName}:{run.Range.StartLine}: RUN {string.Join(' ', run.Command.Args)}: cannot run {platform} binaries on this {Platform.Host} host: {why}";
    }
}
