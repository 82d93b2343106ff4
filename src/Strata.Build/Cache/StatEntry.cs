namespace Strata.Build.Cache;

/// <summary>
/// What a file looked like when it was hashed. Any change of device, inode, size, mtime or
/// ctime means "hash again"; ctime catches a rewrite that restored the old mtime.
/// </summary>
internal readonly record struct StatEntry(long Device, long Inode, long Size, long MtimeNs, long CtimeNs, string Sha256);
