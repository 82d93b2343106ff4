using Strata.Archive;

namespace Strata.Analysis.Interactive;

/// <summary>
/// The visible rows of the file tree for a query: depth first, children in ordinal order,
/// directories shown expanded unless collapsed. As of layer N a path shows what its last change
/// at or below N left; a path layer N removed still shows (marked <c>-</c>) so the removal can
/// be seen, as dive does. A directory shows when something below it does (a filter keeps the
/// directories leading to what matches).
/// </summary>
public static class TreeRows
{
    public static IReadOnlyList<TreeRow> Build(ChangeLog log, TreeQuery query, IReadOnlySet<string> collapsed)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(collapsed);
        var rows = new List<TreeRow>();
        foreach (var child in log.Root.Children) Visit(child, "", 0, query, collapsed, rows);
        return rows;
    }

    /// <summary>Appends the node's rows when it shows; returns whether it showed and the file bytes it shows (kept, and removed by the layer).</summary>
    private static (bool Shown, long Bytes, long Removed) Visit(ChangeNode node, string parentPath, int depth, TreeQuery query, IReadOnlySet<string> collapsed, List<TreeRow> rows)
    {
        string path = parentPath + "/" + node.Name;
        int state = node.StateAt(query.Layer);
        PathEvent? at = state >= 0 ? node.Events[state] : null;
        PathEvent? own = at is { } a && a.Layer == query.Layer ? a : null;

        // Children first (into a scratch list): a directory's visibility and size depend on them.
        int mark = rows.Count;
        rows.Add(null!);
        bool anyChild = false;
        long bytes = 0, removedBytes = 0;
        foreach (var child in node.Children)
        {
            var (shown, b, r) = Visit(child, path, depth + 1, query, collapsed, rows);
            anyChild |= shown;
            bytes += b;
            removedBytes += r;
        }

        bool isDirectory = anyChild || (at?.Type ?? LayerEntryType.Directory) == LayerEntryType.Directory;
        bool exists = at is { Kind: not ChangeKind.Removed };
        bool selfShown = query.LayerOnly ? own is not null : exists || own is { Kind: ChangeKind.Removed };
        bool removed = own is { Kind: ChangeKind.Removed };
        bool wasted = !isDirectory && at is { } e && (removed || e.Wasted);
        if (selfShown)
        {
            if (query.WastedOnly && !wasted) selfShown = false;
            if (query.Filter.Length > 0 && !path.Contains(query.Filter, StringComparison.OrdinalIgnoreCase)) selfShown = false;
            // A directory with nothing to show below it only shows for itself when no filter asks for files.
            if (isDirectory && query.WastedOnly) selfShown = false;
        }
        bool shownNow = selfShown || anyChild;
        if (!shownNow)
        {
            rows.RemoveRange(mark, rows.Count - mark);
            return (false, 0, 0);
        }
        if (!isDirectory)
        {
            bytes = removed ? 0 : at!.Value.Size;
            removedBytes = removed ? own!.Value.Size : 0;
        }
        bool expanded = !collapsed.Contains(path);
        if (!expanded) rows.RemoveRange(mark + 1, rows.Count - mark - 1);
        var type = at?.Type ?? LayerEntryType.Directory;
        rows[mark] = new TreeRow(path, node.Name, depth, type, isDirectory, isDirectory && expanded, own?.Kind ?? ChangeKind.None, removed ? removedBytes : bytes, wasted);
        return (true, bytes, removedBytes);
    }
}
