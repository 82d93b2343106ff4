namespace Strata.Execution.Spec;

/// <summary>runtime-spec <c>linux.namespaces[]</c>: no path means a new namespace; a path joins the namespace pinned there.</summary>
internal sealed record OciNamespace(string Type, string? Path = null);
