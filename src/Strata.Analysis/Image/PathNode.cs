namespace Strata.Analysis.Image;

/// <summary>
/// A path of the merged view after the layers read so far. A node without a copy is a directory
/// that exists only because something below it does (a layer may omit parent entries).
/// </summary>
internal sealed class PathNode(string name, PathNode? parent)
{
    public string Name { get; } = name;

    public PathNode? Parent { get; private set; } = parent;

    public Dictionary<string, PathNode>? Children { get; private set; }

    /// <summary>The copy the merged view shows now.</summary>
    public FileCopy Copy { get; set; }

    public bool HasCopy { get; set; }

    /// <summary>The last layer that wrote this path or something below it (opaque directories keep those).</summary>
    public int TouchedLayer { get; set; } = -1;

    /// <summary>The child named <paramref name="name"/>, made when missing (only then is a string allocated).</summary>
    public PathNode Child(ReadOnlySpan<char> name)
    {
        Children ??= new Dictionary<string, PathNode>(StringComparer.Ordinal);
        var lookup = Children.GetAlternateLookup<ReadOnlySpan<char>>();
        if (!lookup.TryGetValue(name, out var child))
        {
            var key = name.ToString();
            child = new PathNode(key, this);
            Children[key] = child;
        }
        return child;
    }

    public PathNode? Find(ReadOnlySpan<char> name) =>
        Children is not null && Children.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(name, out var child) ? child : null;

    public void Detach()
    {
        Parent?.Children?.Remove(Name);
        Parent = null;
    }

    /// <summary>The path as users write it, with a leading slash.</summary>
    public string FullPath
    {
        get
        {
            var parts = new List<string>();
            for (var n = this; n?.Parent is not null; n = n.Parent) parts.Add(n.Name);
            parts.Reverse();
            return "/" + string.Join('/', parts);
        }
    }
}
