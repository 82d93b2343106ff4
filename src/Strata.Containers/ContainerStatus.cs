namespace Strata.Containers;

/// <summary>
/// Where a container is in its life. Written as docker's lower-case words (<c>created</c>,
/// <c>running</c>, <c>exited</c>) in <c>container.json</c>, the <c>containers</c> table and
/// <c>ps --format '{{.State}}'</c>; see <see cref="ContainerStatusText"/>.
/// </summary>
public enum ContainerStatus
{
    /// <summary>Made (<c>create</c>), never started: its writable layer exists, nothing runs.</summary>
    Created,
    /// <summary>A monitor was launched for it and has not yet reported the process running.</summary>
    Starting,
    /// <summary>Its process runs and its root filesystem is mounted.</summary>
    Running,
    /// <summary>Its process ended (or never started, or was lost); the exit code is recorded.</summary>
    Exited,
}
