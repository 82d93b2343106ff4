namespace Strata.Snapshots.Files;

/// <summary>Deleting snapshot directories.</summary>
internal static class Tree
{
    /// <summary>
    /// Deletes <paramref name="path"/> and everything under it without following symlinks.
    /// Overlay's work directory holds a mode-000 <c>work/work</c>; as root that is no obstacle,
    /// and anything else that refuses (a mount still on the tree) surfaces as an IOException.
    /// </summary>
    public static void Delete(string path)
    {
        if (!Directory.Exists(path)) return;
        Directory.Delete(path, recursive: true);
    }
}
