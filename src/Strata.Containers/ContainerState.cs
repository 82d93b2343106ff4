using System.Text.Json.Serialization;
using Strata.Core;
using Strata.Execution;

namespace Strata.Containers;

/// <summary>
/// What <c>ps</c>, <c>diff</c> and <c>commit</c> need about a container beyond its metadata row:
/// kept as <c>containers/&lt;id&gt;/container.json</c> in the store.
/// </summary>
public sealed record ContainerState
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required Digest ImageId { get; init; }
    /// <summary>What the user named the image (<c>busybox:1</c>), shown by <c>ps</c>.</summary>
    public required string Image { get; init; }
    /// <summary>The image's top snapshot (null for an image without layers).</summary>
    public string? ParentSnapshot { get; init; }
    /// <summary>The active snapshot holding the writable layer.</summary>
    public required string SnapshotKey { get; init; }
    public required IReadOnlyList<string> Command { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    /// <summary>Created, starting (a monitor was launched), running or exited; stored as the lower-case word.</summary>
    [JsonConverter(typeof(ContainerStatusJsonConverter))]
    public required ContainerStatus Status { get; init; }
    public int? ExitCode { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
    /// <summary>What the container was made with: <c>start</c> runs it again the same way.</summary>
    public ContainerRunOptions? Options { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    /// <summary>The detached container's monitor (<c>strata container-shim</c>), while it runs.</summary>
    public ProcessIdentity? Monitor { get; init; }
    /// <summary>The container's init process, while it runs.</summary>
    public ProcessIdentity? Init { get; init; }
    /// <summary>Where the root filesystem is mounted while the container runs.</summary>
    public string? MountPath { get; init; }
    /// <summary>The host ports forwarded into the container while it runs (<c>port</c>, <c>ps</c>), host ports chosen.</summary>
    public IReadOnlyList<PublishedPort>? Ports { get; init; }
    /// <summary>The image's exposed ports (<c>80/tcp</c>) while the container runs on the NAT network: <c>ps</c> lists those not published, as docker does.</summary>
    public IReadOnlyList<string>? ExposedPorts { get; init; }
    /// <summary>Why the last start failed (the runtime's message), if it did.</summary>
    public string? Error { get; init; }
}
