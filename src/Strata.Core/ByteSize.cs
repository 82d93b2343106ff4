using System.Globalization;

namespace Strata.Core;

/// <summary>
/// Sizes as docker reads them on its command line and in mount options (go-units RAMInBytes): a
/// number, decimals allowed, with an optional k, m, g, t or p (1024-based), an optional i and an
/// optional b, any case (<c>512k</c>, <c>100MB</c>, <c>1.5gb</c>, <c>2GiB</c>).
/// </summary>
public static class ByteSize
{
    /// <summary>The bytes <paramref name="text"/> stands for; false when it is not such a size (callers name the flag in their error).</summary>
    public static bool TryParse(string text, out long bytes)
    {
        ArgumentNullException.ThrowIfNull(text);
        bytes = 0;
        var s = text.Trim().ToLowerInvariant();
        int end = 0;
        while (end < s.Length && (char.IsAsciiDigit(s[end]) || s[end] == '.')) end++;
        if (end == 0 || !decimal.TryParse(s[..end], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number)) return false;
        var unit = s[end..].TrimStart();
        if (unit.EndsWith('b')) unit = unit[..^1];
        if (unit.EndsWith('i')) unit = unit[..^1];
        long multiplier = unit switch
        {
            "" => 1,
            "k" => 1L << 10,
            "m" => 1L << 20,
            "g" => 1L << 30,
            "t" => 1L << 40,
            "p" => 1L << 50,
            _ => 0,
        };
        if (multiplier == 0 || number * multiplier > long.MaxValue) return false;
        bytes = (long)(number * multiplier);
        return true;
    }
}
