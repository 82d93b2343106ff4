using System.Text;

namespace Strata.Build.IntegrationTests.Fixtures;

/// <summary>
/// Path-by-path comparison of two trees captured by <see cref="ReferenceTree"/> (test-side code,
/// nothing from src/), rendered as one readable line per difference: what only one side has, and
/// for a path both have, each field that differs with both values. Mtimes are compared only
/// where the <c>compareMtimes</c> predicate holds for either side's entry: a file created while
/// a build ran has that build's time on each side.
/// </summary>
internal static class TreeDiff
{
    public static async Task<IReadOnlyList<string>> CompareAsync(string expectedRoot, string actualRoot, string expectedName = "buildkit", string actualName = "strata",
        Func<ReferenceTree.Entry, bool>? compareMtimes = null)
    {
        var expected = await ReferenceTree.CaptureAsync(expectedRoot);
        var actual = await ReferenceTree.CaptureAsync(actualRoot);
        var lines = new List<string>();
        foreach (var path in expected.Keys.Union(actual.Keys).Order(StringComparer.Ordinal))
        {
            if (!actual.TryGetValue(path, out var a)) { lines.Add($"only in {expectedName}: /{path} ({Describe(expected[path])})"); continue; }
            if (!expected.TryGetValue(path, out var e)) { lines.Add($"only in {actualName}: /{path} ({Describe(a)})"); continue; }
            var fields = new List<string>();
            void Check<T>(string name, T x, T y) { if (!EqualityComparer<T>.Default.Equals(x, y)) fields.Add($"{name} {expectedName}={x} {actualName}={y}"); }
            Check("type", e.Type, a.Type);
            Check("mode", e.Mode, a.Mode);
            Check("uid", e.Uid, a.Uid);
            Check("gid", e.Gid, a.Gid);
            Check("size", e.Size, a.Size);
            Check("sha256", e.Sha256, a.Sha256);
            Check("link", e.LinkTarget, a.LinkTarget);
            Check("hardlink-group", e.HardlinkGroup, a.HardlinkGroup);
            Check("xattrs", e.Xattrs, a.Xattrs);
            Check("rdev", e.Device, a.Device);
            // Either side may say "older than the build": a file one builder kept and the other
            // re-dated differs whichever side kept it.
            if (compareMtimes is not null && (compareMtimes(e) || compareMtimes(a))) Check("mtime", e.Mtime, a.Mtime);
            if (fields.Count > 0) lines.Add($"differs: /{path}: {string.Join(", ", fields)}");
        }
        return lines;
    }

    public static string Describe(ReferenceTree.Entry e)
    {
        var sb = new StringBuilder().Append(e.Type).Append(' ').Append(e.Mode).Append(' ').Append(e.Uid).Append(':').Append(e.Gid);
        if (e.LinkTarget is not null) sb.Append(" -> ").Append(e.LinkTarget);
        if (e.Sha256 is not null) sb.Append(' ').Append(e.Size).Append('B');
        return sb.ToString();
    }
}
