namespace Strata.Images.Checking;

/// <summary>One thing <c>system check</c> found: a fault (the store is damaged) or garbage (unreferenced, safe to remove).</summary>
public sealed record CheckFinding(CheckSeverity Severity, string Message);

public enum CheckSeverity
{
    /// <summary>Unreferenced data: wasted space, not damage.</summary>
    Garbage,
    /// <summary>Damage: a corrupt or missing blob, a dangling reference.</summary>
    Fault,
}
