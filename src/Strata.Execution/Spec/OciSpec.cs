namespace Strata.Execution.Spec;

/// <summary>The runtime-spec <c>config.json</c> document, only the members Strata sets.</summary>
internal sealed record OciSpec(
    string OciVersion,
    OciProcess Process,
    OciRoot Root,
    string Hostname,
    IReadOnlyList<OciMount> Mounts,
    OciLinux Linux);
