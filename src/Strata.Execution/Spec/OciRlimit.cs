namespace Strata.Execution.Spec;

/// <summary>runtime-spec <c>process.rlimits[]</c>.</summary>
internal sealed record OciRlimit(string Type, ulong Hard, ulong Soft);
