namespace Strata.Execution.Spec;

/// <summary>runtime-spec <c>linux.resources</c>: only the device cgroup rules.</summary>
internal sealed record OciResources(IReadOnlyList<OciDeviceRule> Devices);
