using Strata.Archive;

namespace Strata.Snapshots.Tests.Fixtures;

/// <summary>Small tree helpers for snapshot tests.</summary>
internal static class Trees
{
    /// <summary>Writes <paramref name="content"/> to <paramref name="root"/>/<paramref name="relative"/>, creating parent directories.</summary>
    public static void Write(string root, string relative, string content)
    {
        string path = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

    /// <summary>The tree as "path type" lines with file contents, for readable equality asserts.</summary>
    public static string Describe(string root) =>
        string.Join('\n', TreeManifest.Capture(root).Select(e => $"{e.Path} {e.Type} {Convert.ToString(e.Mode, 8)} {e.Uid}:{e.Gid} {e.ContentSha256?[..8]} {e.LinkTarget}"));
}
