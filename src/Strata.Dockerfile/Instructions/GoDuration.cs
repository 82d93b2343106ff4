using System.Globalization;

namespace Strata.Dockerfile.Instructions;

/// <summary>Go's time.ParseDuration (<c>1h2m3.5s</c>, <c>300ms</c>, <c>0</c>), which HEALTHCHECK flags use.</summary>
internal static class GoDuration
{
    public static TimeSpan Parse(string text, string flag)
    {
        var s = text;
        if (s == "0") return TimeSpan.Zero;
        if (s.Length == 0) throw Bad(text, flag);
        bool negative = false;
        if (s[0] is '-' or '+')
        {
            negative = s[0] == '-';
            s = s[1..];
        }
        if (s == "0") return TimeSpan.Zero;
        if (s.Length == 0) throw Bad(text, flag);
        decimal totalNs = 0;
        int i = 0;
        while (i < s.Length)
        {
            int start = i;
            while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] == '.')) i++;
            var number = s[start..i];
            if (number.Length == 0 || number == "." || number.Count(c => c == '.') > 1) throw Bad(text, flag);
            int unitStart = i;
            while (i < s.Length && !char.IsAsciiDigit(s[i]) && s[i] != '.') i++;
            var unit = s[unitStart..i];
            decimal scale = unit switch
            {
                "ns" => 1m,
                "us" or "µs" or "μs" => 1_000m,
                "ms" => 1_000_000m,
                "s" => 1_000_000_000m,
                "m" => 60_000_000_000m,
                "h" => 3_600_000_000_000m,
                "" => throw new DockerfileException($"invalid duration \"{text}\" for --{flag}: missing unit (use s, m, h, ms, us or ns)"),
                _ => throw new DockerfileException($"invalid duration \"{text}\" for --{flag}: unknown unit \"{unit}\""),
            };
            if (!decimal.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)) throw Bad(text, flag);
            totalNs += value * scale;
            if (totalNs > long.MaxValue) throw Bad(text, flag);
        }
        var ticks = (long)(totalNs / 100m);
        return TimeSpan.FromTicks(negative ? -ticks : ticks);
    }

    private static DockerfileException Bad(string text, string flag) => new($"invalid duration \"{text}\" for --{flag}");

    /// <summary>Go's formatting of a duration (<c>1m30s</c>, <c>500ms</c>, <c>0s</c>), for messages and JSON.</summary>
    public static string Format(TimeSpan d)
    {
        if (d == TimeSpan.Zero) return "0s";
        long ns = d.Ticks * 100;
        var sb = new System.Text.StringBuilder();
        if (ns < 0) { sb.Append('-'); ns = -ns; }
        if (ns < 1_000_000_000)
        {
            if (ns < 1_000) return sb.Append(ns).Append("ns").ToString();
            if (ns < 1_000_000) return sb.Append(Trim(ns / 1_000m)).Append("µs").ToString();
            return sb.Append(Trim(ns / 1_000_000m)).Append("ms").ToString();
        }
        long h = ns / 3_600_000_000_000; ns -= h * 3_600_000_000_000;
        long m = ns / 60_000_000_000; ns -= m * 60_000_000_000;
        if (h > 0) sb.Append(h).Append('h');
        if (h > 0 || m > 0) sb.Append(m).Append('m');
        sb.Append(Trim(ns / 1_000_000_000m)).Append('s');
        return sb.ToString();
    }

    private static string Trim(decimal v) => v.ToString("0.#########", CultureInfo.InvariantCulture);
}
