namespace Strata.Execution.Spec;

/// <summary>runtime-spec <c>process.user</c> (numeric only: the caller resolved names).</summary>
internal sealed record OciUser(uint Uid, uint Gid, IReadOnlyList<uint>? AdditionalGids);
