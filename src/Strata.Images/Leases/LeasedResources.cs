using Strata.Core;

namespace Strata.Images.Leases;

/// <summary>Everything the live leases of a store hold (a GC root set: nothing here may be removed).</summary>
public sealed record LeasedResources(IReadOnlySet<Digest> Blobs, IReadOnlySet<string> Snapshots, IReadOnlySet<string> CacheRecords)
{
    public static LeasedResources Empty { get; } = new(new HashSet<Digest>(), new HashSet<string>(StringComparer.Ordinal), new HashSet<string>(StringComparer.Ordinal));
}
