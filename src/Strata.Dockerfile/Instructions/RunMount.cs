namespace Strata.Dockerfile.Instructions;

/// <summary>
/// One <c>RUN --mount=...</c>, with BuildKit's defaults applied: bind mounts are read-only unless
/// <c>rw</c>; a cache mount's id defaults to its target; a secret's id defaults to the base name
/// of its target and its target to <c>/run/secrets/ID</c>; an ssh mount's id defaults to
/// <c>default</c>. Unset numeric options are null.
/// </summary>
public sealed record RunMount
{
    public MountType Type { get; init; } = MountType.Bind;
    public string? Target { get; init; }
    public string? Source { get; init; }
    public string? From { get; init; }
    public bool ReadOnly { get; init; }
    public string? Id { get; init; }
    public CacheSharing Sharing { get; init; } = CacheSharing.Shared;
    public bool Required { get; init; }
    /// <summary>File mode of secret/ssh/cache mounts (octal in the Dockerfile).</summary>
    public int? Mode { get; init; }
    public int? Uid { get; init; }
    public int? Gid { get; init; }
    /// <summary>For secrets: also (or only) expose the secret as this environment variable.</summary>
    public string? Env { get; init; }
    /// <summary>For tmpfs: size limit in bytes.</summary>
    public long? Size { get; init; }
    /// <summary>The option text as written, for messages and cache keys.</summary>
    public string Spec { get; init; } = "";
}
