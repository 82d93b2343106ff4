using System.Globalization;

namespace Strata.Analysis.Image;

/// <summary>Sizes as people read them (1000-based, as docker prints them), exact below 1 kB.</summary>
public static class HumanBytes
{
    public static string Format(long bytes)
    {
        string[] units = ["B", "kB", "MB", "GB", "TB"];
        double value = bytes;
        int unit = 0;
        while (Math.Abs(value) >= 1000 && unit < units.Length - 1)
        {
            value /= 1000;
            unit++;
        }
        return unit == 0 ? $"{bytes.ToString(CultureInfo.InvariantCulture)} B" : $"{value.ToString("0.##", CultureInfo.InvariantCulture)} {units[unit]}";
    }
}
