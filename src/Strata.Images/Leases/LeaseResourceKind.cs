namespace Strata.Images.Leases;

/// <summary>What a lease can hold: the store's three kinds of collectable things.</summary>
public enum LeaseResourceKind
{
    /// <summary>A blob under <c>blobs/</c>, by digest (and its layer row).</summary>
    Blob,

    /// <summary>A snapshot of the store's snapshotter, by key or name.</summary>
    Snapshot,

    /// <summary>A build cache record, by cache key.</summary>
    CacheRecord,
}
