namespace Strata.Testing;

/// <summary>How <see cref="Dockerd"/>'s client talks to the daemon. Default: the legacy builder.</summary>
public sealed record DockerdOptions
{
    /// <summary><c>DOCKER_BUILDKIT=1</c> for every client command (the differential builds), else 0.</summary>
    public bool BuildKit { get; init; }
}
