using System.Text;

namespace Strata.Build.Leftovers;

/// <summary>
/// The mount points of this mount namespace (<c>/proc/self/mountinfo</c>), which is where strata
/// mounts root filesystems: the only complete list, since a directory that is a mount point
/// looks like any other to a directory listing.
/// </summary>
internal static class MountTable
{
    /// <summary>Mount points at or under <paramref name="directory"/> (a path without symbolic links), deepest first.</summary>
    public static IReadOnlyList<string> Under(string directory)
    {
        var prefix = directory.TrimEnd('/') + "/";
        return [.. File.ReadLines("/proc/self/mountinfo")
            .Select(line => line.Split(' '))
            .Where(fields => fields.Length > 4)
            .Select(fields => Unescape(fields[4]))
            .Where(point => point == directory || point.StartsWith(prefix, StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal)
            .OrderByDescending(point => point.Length)];
    }

    /// <summary>
    /// <paramref name="path"/> with every symbolic link resolved, as the kernel writes mount
    /// points (a store under a linked /tmp is listed by its real path).
    /// </summary>
    public static string RealPath(string path)
    {
        var current = "/";
        foreach (var part in Path.GetFullPath(path).Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var next = Path.Combine(current, part);
            var target = new FileInfo(next).LinkTarget is null ? null : new FileInfo(next).ResolveLinkTarget(returnFinalTarget: true)?.FullName;
            current = target is null ? next : RealPath(target);
        }
        return current;
    }

    /// <summary>mountinfo writes space, tab, newline and backslash as <c>\ooo</c>.</summary>
    private static string Unescape(string field)
    {
        if (!field.Contains('\\', StringComparison.Ordinal)) return field;
        var sb = new StringBuilder(field.Length);
        for (int i = 0; i < field.Length; i++)
        {
            if (field[i] == '\\' && i + 3 < field.Length)
            {
                sb.Append((char)Convert.ToInt32(field.Substring(i + 1, 3), 8));
                i += 3;
            }
            else
            {
                sb.Append(field[i]);
            }
        }
        return sb.ToString();
    }
}
