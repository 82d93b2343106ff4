using System.Globalization;

namespace Strata.Core.Unix;

/// <summary>
/// Whether this process runs in a user namespace other than the host's (a rootless strata's):
/// there, overlay keeps its metadata in <c>user.overlay.*</c> xattrs (mount option
/// <c>userxattr</c>) and runc must not expect host privileges. The host's namespace maps every
/// id to itself (<c>0 0 4294967295</c> in /proc/self/uid_map); any other map is a nested one.
/// </summary>
public static class UserNamespace
{
    private static readonly Lazy<bool> Nested = new(() => IsNestedMap(ReadMap()));

    /// <summary>True inside a user namespace other than the initial one.</summary>
    public static bool IsNested => Nested.Value;

    /// <summary>True unless <paramref name="uidMap"/> is the initial namespace's identity map of all ids.</summary>
    public static bool IsNestedMap(string uidMap)
    {
        ArgumentNullException.ThrowIfNull(uidMap);
        string[] lines = uidMap.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (lines.Length != 1) return true;
        string[] fields = lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return fields is not ["0", "0", "4294967295"];
    }

    /// <summary>True when <paramref name="gid"/> exists in this process's user namespace (every gid does in the host's).</summary>
    public static bool MapsGroup(long gid)
    {
        foreach (string line in ReadMap("/proc/self/gid_map").Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (f.Length == 3 && long.TryParse(f[0], NumberStyles.None, CultureInfo.InvariantCulture, out long first) && long.TryParse(f[2], NumberStyles.None, CultureInfo.InvariantCulture, out long count) && gid >= first && gid < first + count) return true;
        }
        return false;
    }

    private static string ReadMap(string file = "/proc/self/uid_map")
    {
        try
        {
            return File.ReadAllText(file);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return "0 0 4294967295"; // a kernel without user namespaces has only the host's
        }
    }
}
