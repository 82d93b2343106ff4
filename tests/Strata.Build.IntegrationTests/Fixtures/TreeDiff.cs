using System.Text;
using Strata.Archive;

namespace Strata.Build.IntegrationTests.Fixtures;

/// <summary>
/// Path-by-path comparison of two trees captured with <see cref="TreeManifest"/> (mtimes aside),
/// rendered as one readable line per difference: what only one side has, and for a path both
/// have, each field that differs with both values.
/// </summary>
internal static class TreeDiff
{
    public static IReadOnlyList<string> Compare(string expectedRoot, string actualRoot, string expectedName = "buildkit", string actualName = "strata")
    {
        var expected = TreeManifest.Capture(expectedRoot).ToDictionary(e => e.Path, StringComparer.Ordinal);
        var actual = TreeManifest.Capture(actualRoot).ToDictionary(e => e.Path, StringComparer.Ordinal);
        var lines = new List<string>();
        foreach (var path in expected.Keys.Union(actual.Keys).Order(StringComparer.Ordinal))
        {
            if (!actual.TryGetValue(path, out var a)) { lines.Add($"only in {expectedName}: /{path} ({Describe(expected[path])})"); continue; }
            if (!expected.TryGetValue(path, out var e)) { lines.Add($"only in {actualName}: /{path} ({Describe(a)})"); continue; }
            var fields = new List<string>();
            void Check<T>(string name, T x, T y) { if (!EqualityComparer<T>.Default.Equals(x, y)) fields.Add($"{name} {expectedName}={x} {actualName}={y}"); }
            Check("type", e.Type, a.Type);
            Check("mode", Convert.ToString(e.Mode, 8), Convert.ToString(a.Mode, 8));
            Check("uid", e.Uid, a.Uid);
            Check("gid", e.Gid, a.Gid);
            Check("size", e.Size, a.Size);
            Check("sha256", e.ContentSha256, a.ContentSha256);
            Check("link", e.LinkTarget, a.LinkTarget);
            Check("hardlink-group", e.HardlinkGroup, a.HardlinkGroup);
            Check("xattrs", e.Xattrs.Replace("\n", ";", StringComparison.Ordinal), a.Xattrs.Replace("\n", ";", StringComparison.Ordinal));
            Check("rdev", (e.DeviceMajor, e.DeviceMinor), (a.DeviceMajor, a.DeviceMinor));
            if (fields.Count > 0) lines.Add($"differs: /{path}: {string.Join(", ", fields)}");
        }
        return lines;
    }

    public static string Describe(TreeEntry e)
    {
        var sb = new StringBuilder().Append(e.Type).Append(' ').Append(Convert.ToString(e.Mode, 8)).Append(' ').Append(e.Uid).Append(':').Append(e.Gid);
        if (e.LinkTarget is not null) sb.Append(" -> ").Append(e.LinkTarget);
        if (e.ContentSha256 is not null) sb.Append(' ').Append(e.Size).Append('B');
        return sb.ToString();
    }
}
