using System.Globalization;

namespace Strata.Cli.Formatting;

/// <summary>
/// Sizes and durations exactly as docker prints them (go-units): decimal units with Go's
/// <c>%.*g</c> rounding ("2.14MB", "8B", "0B"), and "3 minutes", "About an hour", "2 weeks".
/// </summary>
internal static class HumanUnits
{
    private static readonly string[] DecimalUnits = ["B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"];

    /// <summary>
    /// go-units HumanSizeWithPrecision(size, precision); the default 3 is what docker's image,
    /// history, container and build-cache rows use ("1.98MB").
    /// </summary>
    public static string Size(double size, int precision = 3)
    {
        int i = 0;
        while (size >= 1000 && i < DecimalUnits.Length - 1)
        {
            size /= 1000;
            i++;
        }
        return GoFormatG(size, precision) + DecimalUnits[i];
    }

    /// <summary>
    /// go-units HumanSize: four significant digits ("1.984MB"), what docker uses for totals
    /// (<c>system df</c>, "Build cache usage", "Total reclaimed space") and df -v's image sizes.
    /// </summary>
    public static string HumanSize(double size) => Size(size, 4);

    /// <summary>Go's <c>%.{precision}g</c>: shortest of %e/%f with trailing zeros removed.</summary>
    public static string GoFormatG(double value, int precision)
    {
        if (value == 0) return "0";
        // Round to `precision` significant digits first, then decide the notation from the rounded exponent.
        string e = value.ToString("E" + (precision - 1).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        int ePos = e.IndexOf('E', StringComparison.Ordinal);
        int exponent = int.Parse(e.AsSpan(ePos + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        string mantissa = e[..ePos];
        if (exponent < -4 || exponent >= precision)
        {
            mantissa = TrimZeros(mantissa);
            return $"{mantissa}e{(exponent < 0 ? '-' : '+')}{Math.Abs(exponent):00}";
        }
        int decimals = Math.Max(precision - 1 - exponent, 0);
        return TrimZeros(value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture));
    }

    private static string TrimZeros(string s) =>
        s.Contains('.', StringComparison.Ordinal) ? s.TrimEnd('0').TrimEnd('.') : s;

    /// <summary>go-units HumanDuration.</summary>
    public static string Duration(TimeSpan d)
    {
        double seconds = d.TotalSeconds;
        if (seconds < 1) return "Less than a second";
        if ((long)seconds == 1) return "1 second";
        if (seconds < 60) return $"{(long)seconds} seconds";
        long minutes = (long)d.TotalMinutes;
        if (minutes == 1) return "About a minute";
        if (minutes < 60) return $"{minutes} minutes";
        long hours = (long)Math.Round(d.TotalHours, MidpointRounding.AwayFromZero);
        if (hours == 1) return "About an hour";
        if (hours < 48) return $"{hours} hours";
        if (hours < 24 * 7 * 2) return $"{hours / 24} days";
        if (hours < 24 * 30 * 2) return $"{hours / 24 / 7} weeks";
        if (hours < 24 * 365 * 2) return $"{hours / 24 / 30} months";
        return $"{(long)(d.TotalHours / 24 / 365)} years";
    }

    /// <summary>docker's "X ago" for a creation time.</summary>
    public static string Since(DateTimeOffset created, DateTimeOffset now) => Duration(now - created) + " ago";

    /// <summary>docker's Ellipsis: at most <paramref name="max"/> characters, the last one "…".</summary>
    public static string Ellipsis(string s, int max)
    {
        var runes = s.EnumerateRunes().ToList();
        if (runes.Count <= max) return s;
        return string.Concat(runes.Take(max - 1).Select(r => r.ToString())) + "…";
    }
}
