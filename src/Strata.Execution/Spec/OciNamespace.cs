namespace Strata.Execution.Spec;

/// <summary>runtime-spec <c>linux.namespaces[]</c>: no path means a new namespace.</summary>
internal sealed record OciNamespace(string Type);
