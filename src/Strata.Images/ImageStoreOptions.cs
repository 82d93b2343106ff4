using Strata.Images.Metadata;

namespace Strata.Images;

/// <summary>How an <see cref="ImageStore"/> behaves; the defaults suit the CLI.</summary>
public sealed record ImageStoreOptions
{
    public static ImageStoreOptions Default { get; } = new();

    /// <summary>Clock for creation times and lease expiry (tests pass a fixed one).</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Largest manifest, index or config accepted (they are JSON documents, never big).</summary>
    public long MaxDocumentBytes { get; init; } = 8 << 20;

    /// <summary>
    /// When the disk is full, free the store's <see cref="StoreReserve"/> so the metadata can still
    /// be read and rows deleted. Only for commands that free space (check, prune, rmi): anything
    /// else would spend the reserve those commands need. Default false.
    /// </summary>
    public bool UseReserveWhenFull { get; init; }

    /// <summary>
    /// Tables of rooms above (the build cache's), created with the store's own when it opens, as
    /// the composition root registers them. An owner's first use creates them anyway; creating
    /// them here keeps that write out of commands that only read (on a full disk it would spend
    /// the reserve). Default none.
    /// </summary>
    public IReadOnlyList<MetadataTables> OwnerTables { get; init; } = [];
}
