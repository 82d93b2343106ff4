using Strata.Archive;

namespace Strata.Analysis.Image;

/// <summary>
/// The merged view of the layers applied so far, one node per path that exists now. Applying a
/// layer's entries in tar order follows the OCI rules: an entry replaces what the lower layers
/// had at its path; <c>.wh.NAME</c> deletes NAME and everything below it; an opaque marker
/// hides what lower layers put in its directory, but never what its own layer put there (the
/// marker may come before or after those entries). Deleted nodes are dropped, so the tree only
/// ever holds the paths that exist at this point of the stack.
/// </summary>
internal sealed class PathTree(IPathTreeObserver observer)
{
    private readonly PathNode _root = new("", null);

    public PathNode Root => _root;

    /// <summary>Applies a non-whiteout entry. Returns true when it modified an existing path, false when it added one.</summary>
    public bool Add(string path, in FileCopy copy)
    {
        // Segments are looked up as spans of the path: a string is made only for a new node.
        var node = _root;
        foreach (var range in path.AsSpan().Split('/'))
        {
            var part = path.AsSpan(range);
            if (part.IsEmpty) continue;
            node.TouchedLayer = copy.Layer;
            node = node.Child(part);
        }
        node.TouchedLayer = copy.Layer;
        bool modified = node.HasCopy;
        if (node.HasCopy) observer.Ended(node, node.Copy, copy.Layer, CopyEnd.Overwritten, copy);
        // A file (or link) put where a directory was removes the directory's contents.
        if (copy.Type != LayerEntryType.Directory && node.Children is { Count: > 0 } children)
            foreach (var child in children.Values.ToList()) Remove(child, copy.Layer);
        node.Copy = copy;
        node.HasCopy = true;
        return modified;
    }

    /// <summary>Applies <c>.wh.NAME</c>: returns how many non-directory paths it deleted.</summary>
    public int Whiteout(string target, int layer)
    {
        var node = Find(target);
        return node is null || node == _root ? 0 : Remove(node, layer);
    }

    /// <summary>Applies an opaque marker: returns how many non-directory paths it deleted.</summary>
    public int Opaque(string directory, int layer)
    {
        var node = directory is "." or "" ? _root : Find(directory);
        if (node is null) return 0;
        int removed = 0;
        var pending = new Stack<PathNode>();
        pending.Push(node);
        while (pending.Count > 0)
        {
            var dir = pending.Pop();
            if (dir.Children is null) continue;
            foreach (var child in dir.Children.Values.ToList())
            {
                // Touched by this layer: it (or something below it) is this layer's; look deeper.
                if (child.TouchedLayer == layer) pending.Push(child);
                else removed += Remove(child, layer);
            }
        }
        return removed;
    }

    public PathNode? Find(string path)
    {
        var node = _root;
        foreach (var range in path.AsSpan().Split('/'))
        {
            var part = path.AsSpan(range);
            if (part.IsEmpty) continue;
            node = node.Find(part);
            if (node is null) return null;
        }
        return node;
    }

    /// <summary>Every node that ships a copy, in no particular order.</summary>
    public IEnumerable<PathNode> Shipping()
    {
        var pending = new Stack<PathNode>();
        pending.Push(_root);
        while (pending.Count > 0)
        {
            var node = pending.Pop();
            if (node.HasCopy) yield return node;
            if (node.Children is not null)
                foreach (var child in node.Children.Values) pending.Push(child);
        }
    }

    private int Remove(PathNode top, int layer)
    {
        int removed = 0;
        var pending = new Stack<PathNode>();
        pending.Push(top);
        while (pending.Count > 0)
        {
            var node = pending.Pop();
            if (node.HasCopy)
            {
                if (node.Copy.Type != LayerEntryType.Directory) removed++;
                observer.Ended(node, node.Copy, layer, CopyEnd.Deleted, null);
            }
            if (node.Children is not null)
                foreach (var child in node.Children.Values) pending.Push(child);
        }
        top.Detach();
        return removed;
    }
}
