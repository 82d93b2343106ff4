using System.Globalization;

namespace Strata.Execution.Rootless;

/// <summary>
/// Reads <c>/etc/subuid</c> or <c>/etc/subgid</c> (lines <c>name-or-id:first:count</c>), as
/// shadow's newuidmap does: a line counts when its first field is the user's name or numeric id.
/// </summary>
public static class SubordinateIds
{
    /// <summary>The ranges <paramref name="file"/> gives to the user (empty when the file is missing or names none).</summary>
    public static IReadOnlyList<(long First, long Count)> Read(string file, string userName, long id)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (!File.Exists(file)) return [];
        var ranges = new List<(long, long)>();
        string idText = id.ToString(CultureInfo.InvariantCulture);
        foreach (string raw in File.ReadLines(file))
        {
            string[] fields = raw.Trim().Split(':');
            if (fields.Length != 3 || (fields[0] != userName && fields[0] != idText)) continue;
            if (long.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out long first)
                && long.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out long count) && count > 0)
                ranges.Add((first, count));
        }
        return ranges;
    }
}
