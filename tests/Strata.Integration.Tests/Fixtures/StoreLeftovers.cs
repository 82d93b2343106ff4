using System.Globalization;
using System.Text;

namespace Strata.Integration.Tests.Fixtures;

/// <summary>
/// What a killed strata process may leave behind on the host, read from /proc as an operator
/// would: live processes tied to a store (their command line names it or a marker, or their root
/// or working directory lies inside it) and mount points under it. Zombies do not count: they
/// run nothing and hold no mount.
/// </summary>
public static class StoreLeftovers
{
    /// <summary>"PID: command line" of every live process whose command line holds the store's path or <paramref name="marker"/>, or whose root or cwd is inside the store.</summary>
    public static IReadOnlyList<string> Processes(string storeRoot, string marker)
    {
        var found = new List<string>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out int pid) || pid == Environment.ProcessId) continue;
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                if (stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z')) continue;
                var cmdline = Encoding.UTF8.GetString(File.ReadAllBytes(Path.Combine(dir, "cmdline"))).Replace('\0', ' ').Trim();
                bool tied = cmdline.Contains(storeRoot, StringComparison.Ordinal) || cmdline.Contains(marker, StringComparison.Ordinal)
                    || IsInside(LinkOf(Path.Combine(dir, "root")), storeRoot) || IsInside(LinkOf(Path.Combine(dir, "cwd")), storeRoot);
                if (tied) found.Add($"{pid}: {cmdline}");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The process ended while it was read.
            }
        }
        return found;
    }

    /// <summary>Every mount point under <paramref name="storeRoot"/> in this mount namespace, as /proc/self/mountinfo lists them.</summary>
    public static IReadOnlyList<string> Mounts(string storeRoot) =>
        [.. File.ReadAllLines("/proc/self/mountinfo").Select(l => Unescape(l.Split(' ')[4])).Where(p => IsInside(p, storeRoot))];

    /// <summary>Test hygiene after a failure: kills what is left and detaches the mounts, so deleting the scratch directory cannot reach through a mount.</summary>
    public static void Clear(string storeRoot, string marker)
    {
        foreach (var line in Processes(storeRoot, marker))
        {
            try
            {
                using var p = System.Diagnostics.Process.GetProcessById(int.Parse(line[..line.IndexOf(':', StringComparison.Ordinal)], CultureInfo.InvariantCulture));
                p.Kill();
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
            }
        }
        foreach (var mount in Mounts(storeRoot).OrderByDescending(m => m.Length))
            ProcessRunner.RunAsync("umount", "-l", mount).GetAwaiter().GetResult();
    }

    private static string? LinkOf(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static bool IsInside(string? path, string root) =>
        path is not null && (path == root || path.StartsWith(root.TrimEnd('/') + "/", StringComparison.Ordinal));

    /// <summary>mountinfo escapes space, tab, newline and backslash as \ooo.</summary>
    private static string Unescape(string field)
    {
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
