using Strata.Core;

namespace Strata.Images.Metadata;

/// <summary>
/// An unpacked layer under <c>snapshots/</c>, shared by every image whose stack reaches it.
/// Keyed by the chain ID of the stack up to and including this layer.
/// </summary>
public sealed record SnapshotRecord(Digest ChainId, Digest? Parent, DiffId DiffId, string Path, long Size, DateTimeOffset CreatedAt);
