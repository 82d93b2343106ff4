using Strata.Core;

namespace Strata.Images.Metadata;

/// <summary>A container's metadata: which image it was made from (so that image cannot be removed under it).</summary>
public sealed record ContainerRecord(string Id, string Name, Digest ImageId, DateTimeOffset CreatedAt, string State);
