using Strata.Core.Unix;

namespace Strata.Archive.Writing;

/// <summary>Reads a path's xattrs in a stable order, leaving out those that describe the host
/// rather than the content.</summary>
internal static class FileXattrs
{
    public static IReadOnlyList<KeyValuePair<string, byte[]>> Read(string path, bool dropOverlayPrivate)
    {
        var names = Libc.Llistxattr(path);
        if (names.Count == 0) return [];
        var result = new List<KeyValuePair<string, byte[]>>(names.Count);
        foreach (string name in names)
        {
            if (IsHostOnly(name, dropOverlayPrivate)) continue;
            byte[]? value = Libc.Lgetxattr(path, name);
            if (value is not null) result.Add(new(name, value));
        }
        result.Sort((x, y) => string.CompareOrdinal(x.Key, y.Key));
        return result;
    }

    // security.selinux is the host's labelling policy, not image content: keeping it would make
    // the same tree hash differently on an SELinux host. Overlay's own xattrs (opaque, redirect,
    // origin, metacopy) are bookkeeping of the mount that made the upper dir.
    private static bool IsHostOnly(string name, bool dropOverlayPrivate) =>
        name == "security.selinux"
        || (dropOverlayPrivate && (name.StartsWith("trusted.overlay.", StringComparison.Ordinal)
                                   || name.StartsWith("user.overlay.", StringComparison.Ordinal)));

    public static bool SameXattrs(IReadOnlyList<KeyValuePair<string, byte[]>> a, IReadOnlyList<KeyValuePair<string, byte[]>> b)
    {
        if (a.Count != b.Count) return false;
        for (int i = 0; i < a.Count; i++)
        {
            if (a[i].Key != b[i].Key || !a[i].Value.AsSpan().SequenceEqual(b[i].Value)) return false;
        }
        return true;
    }
}
