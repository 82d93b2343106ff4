namespace Strata.Execution.Spec;

/// <summary>runtime-spec <c>mounts[]</c>.</summary>
internal sealed record OciMount(string Destination, string Type, string Source, IReadOnlyList<string> Options);
