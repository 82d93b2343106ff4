using Strata.Core.Unix;

namespace Strata.Execution.Tests.Fixtures;

/// <summary>Every entry under a root with type, mode, owner, size, mtime and link target: equal snapshots mean an unchanged tree.</summary>
internal static class TreeSnapshot
{
    public static SortedDictionary<string, string> Take(string root)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        Add(root, "/", result);
        foreach (var entry in Directory.EnumerateFileSystemEntries(root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }))
            Add(entry, "/" + Path.GetRelativePath(root, entry), result);
        return result;
    }

    private static void Add(string hostPath, string name, SortedDictionary<string, string> result)
    {
        var st = Libc.Lstat(hostPath);
        var target = st.IsSymlink ? new FileInfo(hostPath).LinkTarget : "";
        var size = st.IsDirectory ? 0 : st.Size;
        result[name] = $"{st.Mode:x} {st.Uid}:{st.Gid} {size} {st.MtimeSeconds}.{st.MtimeNanoseconds:D9} {target}";
    }
}
