using Strata.Core;
using Strata.Core.Unix;

namespace Strata.Rootfs;

/// <summary>
/// Resolves a path inside a root directory as if the root were <c>/</c>: symlinks are followed
/// but can never leave the root (an absolute link target restarts at the root, <c>..</c> stops
/// at it), like BuildKit's and containerd's in-scope resolution. The final component is not
/// followed when <c>followFinal</c> is false (to create, replace or lchown it).
/// </summary>
public static class ScopedPath
{
    private const int MaxLinks = 255;

    public static string Resolve(string root, string path, bool followFinal = true)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(path);
        var pending = new Stack<string>(Components(path).Reverse());
        var resolved = new List<string>();
        int links = 0;
        while (pending.Count > 0)
        {
            var part = pending.Pop();
            if (part == "..")
            {
                if (resolved.Count > 0) resolved.RemoveAt(resolved.Count - 1);
                continue;
            }
            var candidate = Path.Combine(root, Path.Combine([.. resolved, part]));
            bool isFinal = pending.Count == 0;
            if ((!isFinal || followFinal) && Libc.TryLstat(candidate, out var status) && status.IsSymlink)
            {
                if (++links > MaxLinks) throw new InvalidArgumentException($"too many levels of symbolic links resolving {path}");
                var target = new FileInfo(candidate).LinkTarget ?? "";
                if (target.StartsWith('/')) resolved.Clear();
                foreach (var t in Components(target).Reverse()) pending.Push(t);
                continue;
            }
            resolved.Add(part);
        }
        return resolved.Count == 0 ? root : Path.Combine(root, Path.Combine([.. resolved]));
    }

    private static IEnumerable<string> Components(string path) => path.Split('/').Where(p => p.Length > 0 && p != ".");
}
