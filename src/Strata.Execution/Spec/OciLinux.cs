namespace Strata.Execution.Spec;

/// <summary>runtime-spec <c>linux</c>.</summary>
internal sealed record OciLinux(
    IReadOnlyList<OciNamespace> Namespaces,
    string? CgroupsPath,
    OciResources? Resources,
    IReadOnlyList<string> MaskedPaths,
    IReadOnlyList<string> ReadonlyPaths);
