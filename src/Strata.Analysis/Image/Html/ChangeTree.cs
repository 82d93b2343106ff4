using System.Globalization;
using System.Text;

namespace Strata.Analysis.Image.Html;

/// <summary>
/// One layer's kept changes as a collapsible tree: directories are <c>&lt;details&gt;</c> (a chain
/// of single-child directories is folded into one row, <c>usr/lib/x86_64-linux-gnu</c>), files
/// carry their mark (A added, M modified, D removed) and size. Directories are listed before
/// files, each sorted by name; a directory's size is the sum of its kept files.
/// </summary>
internal sealed class ChangeTree
{
    /// <summary>Trees with at most this many entries open their first level.</summary>
    private const int OpenBelow = 200;

    private readonly SortedDictionary<string, ChangeTree> _dirs = new(StringComparer.Ordinal);
    private readonly List<(string Name, LayerChange Change)> _files = [];
    private long _bytes;

    public static void Write(StringBuilder html, IReadOnlyList<LayerChange> changes)
    {
        var root = new ChangeTree();
        foreach (var c in changes) root.Add(c);
        html.Append("<ul class=\"tree\">");
        root.WriteChildren(html, open: changes.Count <= OpenBelow);
        html.Append("</ul>");
    }

    private void Add(LayerChange change)
    {
        var parts = change.Path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var node = this;
        node._bytes += change.Size;
        for (int i = 0; i < parts.Length - 1; i++)
        {
            if (!node._dirs.TryGetValue(parts[i], out var next)) node._dirs[parts[i]] = next = new ChangeTree();
            node = next;
            node._bytes += change.Size;
        }
        node._files.Add((parts.Length == 0 ? "/" : parts[^1], change));
    }

    private void WriteChildren(StringBuilder html, bool open)
    {
        foreach (var (name, child) in _dirs)
        {
            var (label, dir) = Fold(name, child);
            html.Append("<li class=\"dir\"><details").Append(open ? " open" : "").Append("><summary>")
                .Append(HtmlText.Escape(label)).Append("/ <span class=\"size\">").Append(HtmlText.Escape(HumanBytes.Format(dir._bytes))).Append("</span></summary><ul>");
            dir.WriteChildren(html, open: false);
            html.Append("</ul></details></li>");
        }
        foreach (var (name, change) in _files.OrderBy(f => f.Name, StringComparer.Ordinal).ThenBy(f => f.Change.Kind))
        {
            var (mark, cls) = change.Kind switch
            {
                LayerChangeKind.Added => ("A", "added"),
                LayerChangeKind.Modified => ("M", "modified"),
                _ => ("D", "removed"),
            };
            html.Append(CultureInfo.InvariantCulture, $"<li class=\"file {cls}\"><span class=\"mark\">{mark}</span> <span class=\"name\">")
                .Append(HtmlText.Escape(name)).Append("</span> <span class=\"size\">").Append(HtmlText.Escape(HumanBytes.Format(change.Size))).Append("</span></li>");
        }
    }

    /// <summary>Folds a chain of directories that hold nothing but one directory into one label.</summary>
    private static (string Label, ChangeTree Dir) Fold(string name, ChangeTree dir)
    {
        var label = new StringBuilder(name);
        while (dir._files.Count == 0 && dir._dirs.Count == 1)
        {
            var (childName, child) = dir._dirs.First();
            label.Append('/').Append(childName);
            dir = child;
        }
        return (label.ToString(), dir);
    }
}
