namespace Strata.Execution.Spec;

/// <summary>runtime-spec <c>root</c>.</summary>
internal sealed record OciRoot(string Path, bool Readonly);
