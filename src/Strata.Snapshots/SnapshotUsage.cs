namespace Strata.Snapshots;

/// <summary>
/// Disk used by one snapshot's own directory: <paramref name="Bytes"/> allocated on disk (a
/// hard-linked inode counted once) and <paramref name="Inodes"/> (directory entries with a
/// distinct inode, the root directory included).
/// </summary>
public readonly record struct SnapshotUsage(long Bytes, long Inodes);
