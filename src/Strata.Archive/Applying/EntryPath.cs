namespace Strata.Archive.Applying;

/// <summary>Turns a tar entry name into path components below the root, the way docker reads
/// names: a leading "/" is dropped (absolute names are relative to the root), "." and empty
/// components vanish, ".." pops a component and must never climb above the root.</summary>
internal static class EntryPath
{
    /// <summary>Components, or null when the name climbs out of the root. Empty means the root itself.</summary>
    public static List<string>? Split(string name)
    {
        var parts = new List<string>();
        foreach (string part in name.Split('/'))
        {
            if (part.Length == 0 || part == ".") continue;
            if (part == "..")
            {
                if (parts.Count == 0) return null;
                parts.RemoveAt(parts.Count - 1);
                continue;
            }
            parts.Add(part);
        }
        return parts;
    }

    /// <summary>The display form used in listings: no leading "./" or "/", no trailing "/".</summary>
    public static string Display(string name)
    {
        string s = name;
        while (s.StartsWith("./", StringComparison.Ordinal)) s = s[2..];
        s = s.TrimStart('/').TrimEnd('/');
        return s.Length == 0 ? "." : s;
    }
}
