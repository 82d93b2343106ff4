using Strata.Dockerfile.Instructions;

namespace Strata.Dockerfile.Reports;

/// <summary>One stage as the report shows it: identity, base, whether the target needs it, and its expanded instructions.</summary>
public sealed record StageReport(int Index, string? Name, string BaseName, string? Platform, int? BaseStage, bool Required, IReadOnlyList<Instruction> Instructions);
