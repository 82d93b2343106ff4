using System.Globalization;

namespace Strata.Analysis.Image.Gates;

/// <summary>Checks an analysis against thresholds: one line per breach, empty when it passes.</summary>
public static class CiGate
{
    public static IReadOnlyList<string> Check(ImageAnalysis analysis, CiThresholds thresholds)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        ArgumentNullException.ThrowIfNull(thresholds);
        var breaches = new List<string>();
        bool overFloor = analysis.WastedBytes >= thresholds.MinWastedBytes;
        if (thresholds.LowestEfficiency is { } lowest && analysis.Efficiency < lowest && overFloor)
            breaches.Add($"lowest-efficiency: efficiency {F(analysis.Efficiency)} is below {F(lowest)} ({HumanBytes.Format(analysis.WastedBytes)} wasted)");
        if (thresholds.HighestWastedBytes is { } most && analysis.WastedBytes > most)
            breaches.Add($"highest-wasted-bytes: {HumanBytes.Format(analysis.WastedBytes)} ({analysis.WastedBytes.ToString(CultureInfo.InvariantCulture)} bytes) wasted is above {HumanBytes.Format(most)}");
        double userRatio = analysis.TotalBytes == 0 ? 0 : (double)analysis.UserWastedBytes / analysis.TotalBytes;
        if (thresholds.HighestUserWastedPercent is { } share && userRatio > share && analysis.UserWastedBytes >= thresholds.MinWastedBytes)
            breaches.Add($"highest-user-wasted-percent: user layers waste {F(userRatio)} of the image ({HumanBytes.Format(analysis.UserWastedBytes)}), above {F(share)}");
        if (!thresholds.AllowSecrets)
        {
            foreach (var secret in analysis.Findings.Where(f => f.Category == "secret"))
                breaches.Add($"secrets: {secret.Rule}: {secret.Message}");
        }
        return breaches;
    }

    private static string F(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);
}
