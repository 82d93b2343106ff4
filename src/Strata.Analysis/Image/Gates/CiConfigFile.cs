using System.Globalization;

namespace Strata.Analysis.Image.Gates;

/// <summary>
/// Reads <c>.strata-ci.yaml</c> or dive's <c>.dive-ci</c>: flat <c>key: value</c> lines, at the
/// top or under <c>rules:</c> (dive's shape), <c>#</c> comments, <c>disabled</c> to turn a gate
/// off. Keys: <c>lowestEfficiency</c>, <c>highestWastedBytes</c> (bytes or <c>20MB</c>,
/// <c>20MiB</c>), <c>highestUserWastedPercent</c> (a ratio), <c>allowSecrets</c>,
/// <c>minWastedBytes</c>. An unknown key or a bad value is an error naming file and line.
/// </summary>
public static class CiConfigFile
{
    public static CiThresholds Parse(string text, string fileName)
    {
        ArgumentNullException.ThrowIfNull(text);
        var result = new CiThresholds();
        var lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            int hash = line.IndexOf('#', StringComparison.Ordinal);
            if (hash >= 0) line = line[..hash];
            if (line.Trim().Length == 0) continue;
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            string where = $"{fileName}:{(i + 1).ToString(CultureInfo.InvariantCulture)}";
            if (colon < 0) throw new Core.InvalidArgumentException($"{where}: expected \"key: value\"");
            var key = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim().Trim('"', '\'');
            if (key == "rules" && value.Length == 0) continue;
            bool off = value.Equals("disabled", StringComparison.OrdinalIgnoreCase);
            result = key switch
            {
                "lowestEfficiency" => result with { LowestEfficiency = off ? null : Ratio(value, where) },
                "highestWastedBytes" => result with { HighestWastedBytes = off ? null : Bytes(value, where) },
                "highestUserWastedPercent" => result with { HighestUserWastedPercent = off ? null : Ratio(value, where) },
                "allowSecrets" => result with { AllowSecrets = Bool(value, where) },
                "minWastedBytes" => result with { MinWastedBytes = off ? 0 : Bytes(value, where) },
                _ => throw new Core.InvalidArgumentException($"{where}: unknown key \"{key}\""),
            };
        }
        return result;
    }

    /// <summary>A ratio: <c>0.2</c>; <c>20%</c> is read as 0.2 too.</summary>
    public static double Ratio(string value, string where)
    {
        ArgumentNullException.ThrowIfNull(value);
        bool percent = value.EndsWith('%');
        if (!double.TryParse(percent ? value[..^1] : value, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || v < 0)
            throw new Core.InvalidArgumentException($"{where}: \"{value}\" is not a ratio (like 0.9)");
        return percent ? v / 100 : v;
    }

    /// <summary>Bytes: <c>1000</c>, <c>20MB</c> (1000-based), <c>20MiB</c> (1024-based), as dive reads them.</summary>
    public static long Bytes(string value, string where)
    {
        ArgumentNullException.ThrowIfNull(value);
        var v = value.Replace(" ", "", StringComparison.Ordinal);
        int split = v.Length;
        while (split > 0 && !char.IsDigit(v[split - 1]) && v[split - 1] != '.') split--;
        var unit = v[split..].ToUpperInvariant();
        long multiplier = unit switch
        {
            "" or "B" => 1,
            "K" or "KB" => 1000, "M" or "MB" => 1000_000, "G" or "GB" => 1000_000_000, "T" or "TB" => 1000_000_000_000,
            "KI" or "KIB" => 1L << 10, "MI" or "MIB" => 1L << 20, "GI" or "GIB" => 1L << 30, "TI" or "TIB" => 1L << 40,
            _ => 0,
        };
        if (multiplier == 0 || !double.TryParse(v[..split], NumberStyles.Float, CultureInfo.InvariantCulture, out var n) || n < 0)
            throw new Core.InvalidArgumentException($"{where}: \"{value}\" is not a byte size (like 20MB)");
        return (long)Math.Round(n * multiplier);
    }

    private static bool Bool(string value, string where) => value.ToLowerInvariant() switch
    {
        "true" or "yes" => true,
        "false" or "no" => false,
        _ => throw new Core.InvalidArgumentException($"{where}: \"{value}\" is not true or false"),
    };
}
