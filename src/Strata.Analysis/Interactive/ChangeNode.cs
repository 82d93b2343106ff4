namespace Strata.Analysis.Interactive;

/// <summary>
/// A path that some layer of the image touched, with what each layer did to it, in layer order.
/// A node without events is a directory no layer wrote itself (a layer may omit parents).
/// </summary>
internal sealed class ChangeNode(string name, ChangeNode? parent)
{
    private Dictionary<string, ChangeNode>? _children;
    private ChangeNode[]? _sorted;

    public string Name { get; } = name;

    public ChangeNode? Parent { get; } = parent;

    public List<PathEvent> Events { get; } = [];

    /// <summary>Children by name, ordinal order (as <c>ls</c> in the C locale and dive show them).</summary>
    public IReadOnlyList<ChangeNode> Children =>
        _sorted ??= _children is null ? [] : [.. _children.Values.OrderBy(c => c.Name, StringComparer.Ordinal)];

    public ChangeNode Child(string name)
    {
        _children ??= new Dictionary<string, ChangeNode>(StringComparer.Ordinal);
        if (!_children.TryGetValue(name, out var child))
        {
            _children[name] = child = new ChangeNode(name, this);
            _sorted = null;
        }
        return child;
    }

    public string FullPath => Parent is null ? "/" : Parent.Parent is null ? "/" + Name : Parent.FullPath + "/" + Name;

    /// <summary>The last event at or below <paramref name="layer"/>: what the path is as of that layer.</summary>
    public int StateAt(int layer)
    {
        for (int i = Events.Count - 1; i >= 0; i--)
            if (Events[i].Layer <= layer) return i;
        return -1;
    }
}
