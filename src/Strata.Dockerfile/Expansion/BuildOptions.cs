using Strata.Core;
using Strata.Dockerfile.Instructions;

namespace Strata.Dockerfile.Expansion;

/// <summary>
/// What a build supplies to the front end. Defaults: no build args, host platform for both target
/// and build platform, the last stage as target, unknown base images have no environment (so
/// only the default PATH is assumed).
/// </summary>
public sealed record BuildOptions
{
    /// <summary><c>--build-arg</c> values; they override ARG defaults.</summary>
    public IReadOnlyDictionary<string, string> BuildArgs { get; init; } = new Dictionary<string, string>();

    /// <summary>The platform being built for (TARGETPLATFORM and friends); null means the host.</summary>
    public Platform? TargetPlatform { get; init; }

    /// <summary>The platform doing the build (BUILDPLATFORM and friends); null means the host.</summary>
    public Platform? BuildPlatform { get; init; }

    /// <summary><c>--target</c>: the stage to build; null means the last stage.</summary>
    public string? Target { get; init; }

    /// <summary>
    /// The environment of an external base image (ENV of its config), when the caller knows it;
    /// expansion of ENV references depends on it. Null or a null answer means "unknown: empty".
    /// </summary>
    public Func<string, IReadOnlyList<KeyValue>?>? BaseImageEnv { get; init; }

    /// <summary>
    /// Names a <c>--build-context</c> replaces: a FROM naming one starts from that context (its
    /// environment from <see cref="BaseImageEnv"/>), not from the stage of that name. Null: none.
    /// </summary>
    public Func<string, bool>? IsNamedContext { get; init; }
}
