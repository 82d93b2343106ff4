namespace Strata.Execution.Spec;

/// <summary>runtime-spec <c>linux.resources.devices[]</c>; null type/major/minor mean "all".</summary>
internal sealed record OciDeviceRule(bool Allow, string Access, string? Type = null, long? Major = null, long? Minor = null);
