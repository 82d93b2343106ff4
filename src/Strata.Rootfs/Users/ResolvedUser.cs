namespace Strata.Rootfs.Users;

/// <summary>A user as the runtime needs it: numeric ids and supplementary groups.</summary>
public sealed record ResolvedUser(uint Uid, uint Gid, IReadOnlyList<uint> AdditionalGids);
