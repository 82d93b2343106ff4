using System.Text.Json.Serialization;
using Strata.Core;

namespace Strata.Build.Containers;

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
    /// <summary><c>created</c>, <c>running</c> or <c>exited</c>.</summary>
    public required string Status { get; init; }
    public int? ExitCode { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
}
