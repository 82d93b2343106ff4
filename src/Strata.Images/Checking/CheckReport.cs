namespace Strata.Images.Checking;

/// <summary>The result of <c>system check</c>: what was looked at, what was found, what was repaired.</summary>
public sealed record CheckReport(int BlobsChecked, int ImagesChecked, int SnapshotsChecked, IReadOnlyList<CheckFinding> Findings, IReadOnlyList<string> Repairs)
{
    public bool HasFaults => Findings.Any(f => f.Severity == CheckSeverity.Fault);
}
