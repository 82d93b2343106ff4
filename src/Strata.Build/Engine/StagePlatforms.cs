using Strata.Core;
using Strata.Dockerfile.Expansion;

namespace Strata.Build.Engine;

/// <summary>
/// The platform each stage's steps run as, as BuildKit decides it: the stage's own
/// <c>FROM --platform</c>, else the platform of the stage it is built FROM, else the build's
/// target platform.
/// </summary>
internal static class StagePlatforms
{
    public static Platform Of(ExpandedStage stage, ExpandedDockerfile dockerfile, BuildRequest request)
    {
        ArgumentNullException.ThrowIfNull(stage);
        ArgumentNullException.ThrowIfNull(dockerfile);
        ArgumentNullException.ThrowIfNull(request);
        var current = stage;
        // Bounded by the stage count: the graph has no cycles, but a name is cheap to guard.
        for (int hops = 0; hops <= dockerfile.Stages.Count; hops++)
        {
            if (current.Stage.Platform is { Length: > 0 } own && !own.Contains('$', StringComparison.Ordinal)) return Platform.Parse(own);
            if (current.BaseStage is not { } baseIndex || request.NamedContextFor(current.Stage.BaseName) is not null) break;
            var next = dockerfile.Stages.FirstOrDefault(s => s.Stage.Index == baseIndex);
            if (next is null) break;
            current = next;
        }
        return request.Platform;
    }
}
