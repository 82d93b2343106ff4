using Strata.Core;
using Strata.Core.Unix;

namespace Strata.Execution;

/// <summary>
/// Resolves a container path inside a root directory the way the runtime does (securejoin):
/// symbolic links are followed but can never climb above the root, so <c>/etc -> /../../host</c>
/// stays inside. Used to predict which mount points the runtime will create and to see where a
/// working directory really leads.
/// </summary>
internal static class RootPath
{
    private const int MaxLinks = 255;

    /// <summary>
    /// The clean container path <paramref name="containerPath"/> leads to, and the first
    /// component of it that does not exist yet (null when all of it exists).
    /// </summary>
    public static string Resolve(string root, string containerPath, out string? firstMissing)
    {
        var pending = new LinkedList<string>(containerPath.Split('/', StringSplitOptions.RemoveEmptyEntries));
        var current = new List<string>();
        firstMissing = null;
        int links = 0;
        while (pending.First is { } node)
        {
            pending.RemoveFirst();
            var part = node.Value;
            if (part == ".") continue;
            if (part == "..")
            {
                if (current.Count > 0) current.RemoveAt(current.Count - 1);
                continue;
            }
            current.Add(part);
            if (firstMissing is not null) continue;
            var candidate = "/" + string.Join('/', current);
            var hostPath = root.TrimEnd('/') + candidate;
            if (!Libc.TryLstat(hostPath, out var status))
            {
                firstMissing = candidate;
                continue;
            }
            if (!status.IsSymlink) continue;
            if (++links > MaxLinks)
                throw new InvalidArgumentException($"too many symbolic links resolving {containerPath} in {root}");
            current.RemoveAt(current.Count - 1);
            var target = new FileInfo(hostPath).LinkTarget ?? "";
            if (target.StartsWith('/')) current.Clear();
            var parts = target.Split('/', StringSplitOptions.RemoveEmptyEntries);
            for (int i = parts.Length - 1; i >= 0; i--) pending.AddFirst(parts[i]);
        }
        return "/" + string.Join('/', current);
    }

    /// <summary>
    /// True when no component of <paramref name="containerPath"/> below <paramref name="root"/>
    /// is a symbolic link, so acting on root + path cannot be redirected out of the root.
    /// </summary>
    public static bool HasNoLinks(string root, string containerPath)
    {
        var host = root.TrimEnd('/');
        foreach (var part in containerPath.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            host += "/" + part;
            if (Libc.TryLstat(host, out var status) && status.IsSymlink) return false;
        }
        return true;
    }
}
