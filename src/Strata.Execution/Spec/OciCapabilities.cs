namespace Strata.Execution.Spec;

/// <summary>
/// runtime-spec <c>process.capabilities</c>. Inheritable and ambient stay empty, as in Docker
/// since CVE-2022-24769: a non-root process then loses its capabilities at execve, as it would
/// outside a container.
/// </summary>
internal sealed record OciCapabilities(
    IReadOnlyList<string> Bounding,
    IReadOnlyList<string> Effective,
    IReadOnlyList<string> Permitted);
