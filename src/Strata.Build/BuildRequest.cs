using Strata.Core;

namespace Strata.Build;

/// <summary>What <c>strata build</c> was asked to do. Defaults match <c>docker build</c>.</summary>
public sealed record BuildRequest
{
    /// <summary>The build context directory (files COPY and ADD can read).</summary>
    public required string ContextDirectory { get; init; }

    /// <summary>The Dockerfile's text.</summary>
    public required string DockerfileText { get; init; }

    /// <summary>Where the Dockerfile is (for messages and <c>Dockerfile.dockerignore</c>); null when read from stdin.</summary>
    public string? DockerfilePath { get; init; }

    public IReadOnlyList<ImageReference> Tags { get; init; } = [];

    public string? Target { get; init; }

    public IReadOnlyDictionary<string, string> BuildArgs { get; init; } = new Dictionary<string, string>();

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// RUN's network (<c>docker build --network</c>): default <see cref="Execution.NetworkMode.Nat"/>, a
    /// namespace of its own with outbound access, as BuildKit's default; <c>RUN --network=none</c>
    /// takes a step off it.
    /// </summary>
    public Execution.NetworkMode Network { get; init; } = Execution.NetworkMode.Nat;

    /// <summary>Fixes every timestamp (history, config, file mtimes clamped) so two builds give the same digests.</summary>
    public DateTimeOffset? SourceDateEpoch { get; init; }

    /// <summary>The platform to build for (<c>--platform</c>); ignored when <see cref="Platforms"/> lists more than one.</summary>
    public Platform Platform { get; init; } = Platform.Host;

    /// <summary>
    /// Whether <see cref="Platform"/> was asked for even when it is the host's: every base is
    /// then looked up for it (an index gives that child, a plain image of another platform is
    /// refused). False: a base without <c>FROM --platform</c> is used as it is, as docker uses a
    /// local image. The platform builds of a multi-platform build always ask.
    /// </summary>
    public bool PlatformAsked { get; init; }

    /// <summary>
    /// <c>--platform a,b,...</c> with more than one: one build per platform in one run (stages
    /// that are the same for several platforms, such as a <c>FROM --platform=$BUILDPLATFORM</c>
    /// stage, built once), tagged as an OCI image index of the per-platform images. Empty or one
    /// entry: a plain image for <see cref="Platform"/>.
    /// </summary>
    public IReadOnlyList<Platform> Platforms { get; init; } = [];

    /// <summary>
    /// Where the kernel's binfmt_misc handlers are looked up before a RUN for a foreign platform
    /// (default <c>/proc/sys/fs/binfmt_misc</c>).
    /// </summary>
    public string BinfmtMiscRoot { get; init; } = DefaultBinfmtMiscRoot;

    /// <summary>The kernel's binfmt_misc mount point.</summary>
    public const string DefaultBinfmtMiscRoot = Engine.BinfmtMisc.Root;

    /// <summary>
    /// How <c>--output type=oci|docker</c> writes layers (<c>--compression</c>,
    /// <c>--compression-level</c>). Step layers are committed uncompressed: a build pays
    /// compression only for layers that leave the machine, once (variants are remembered).
    /// </summary>
    public Images.Transfer.ExportCompression Export { get; init; } = Images.Transfer.ExportCompression.Default;

    /// <summary>How the build cache is used (--no-cache, --explain).</summary>
    public Cache.BuildCacheOptions Cache { get; init; } = Strata.Build.Cache.BuildCacheOptions.Default;

    /// <summary>
    /// Secrets RUN --mount=type=secret can read, by id (<c>--secret</c>). The bytes reach only a
    /// step's private tmpfs file or environment, never a layer, the cache key, history or a log.
    /// </summary>
    public IReadOnlyDictionary<string, byte[]> Secrets { get; init; } = new Dictionary<string, byte[]>();

    /// <summary>SSH agent sockets RUN --mount=type=ssh can forward, by id (<c>--ssh</c>).</summary>
    public IReadOnlyDictionary<string, string> SshAgents { get; init; } = new Dictionary<string, string>();

    /// <summary><c>--build-context NAME=VALUE</c>: what FROM, COPY --from and RUN --mount from= resolve NAME to instead.</summary>
    public IReadOnlyList<Context.NamedContext> NamedContexts { get; init; } = [];

    /// <summary>The named context called <paramref name="name"/> (<see cref="Context.NamedContext.Matches"/>; the last flag wins), or null.</summary>
    public Context.NamedContext? NamedContextFor(string? name) => NamedContexts.LastOrDefault(c => c.Matches(name));

    /// <summary>RUN's container options (<c>--add-host</c>, <c>--shm-size</c>, <c>--ulimit</c>); part of every RUN's cache key.</summary>
    public RunOptions Run { get; init; } = RunOptions.Default;

    /// <summary>Name used in messages for the Dockerfile (<c>Dockerfile</c> or the -f path's file name).</summary>
    public string DockerfileName => DockerfilePath is null ? "Dockerfile" : Path.GetFileName(DockerfilePath);
}
