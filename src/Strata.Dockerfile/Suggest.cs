namespace Strata.Dockerfile;

/// <summary>"Did you mean" by edit distance (case-insensitive), like BuildKit's suggestions.</summary>
internal static class Suggest
{
    /// <summary>The closest candidate within a distance that still looks like a typo, or null.</summary>
    public static string? Closest(string value, IEnumerable<string> candidates)
    {
        string? best = null;
        int bestDistance = int.MaxValue;
        var v = value.ToLowerInvariant();
        // Short words only tolerate one typo; longer ones two or three.
        int limit = v.Length <= 2 ? 1 : Math.Min(3, Math.Max(2, v.Length / 3));
        foreach (var c in candidates)
        {
            int d = Distance(v, c.ToLowerInvariant());
            if (d < bestDistance)
            {
                bestDistance = d;
                best = c;
            }
        }
        return bestDistance <= limit && bestDistance > 0 ? best : null;
    }

    /// <summary>Appends " (did you mean X?)" when a candidate is close enough.</summary>
    public static string With(string message, string value, IEnumerable<string> candidates, string prefix = "")
    {
        var s = Closest(value, candidates);
        return s is null ? message : $"{message} (did you mean {prefix}{s}?)";
    }

    public static int Distance(string a, string b)
    {
        if (a.Length > 256 || b.Length > 256) return Math.Max(a.Length, b.Length);
        var prev = new int[b.Length + 1];
        var cur = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++) prev[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            cur[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                cur[j] = Math.Min(Math.Min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            (prev, cur) = (cur, prev);
        }
        return prev[b.Length];
    }
}
