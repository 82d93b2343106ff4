using Strata.Analysis.Image;

namespace Strata.Analysis.Interactive;

/// <summary>
/// Everything the interactive view shows, and what each key does to it: the selected layer,
/// the focused pane, the file tree's cursor, folds and filters, and the scroll offsets that keep
/// each cursor on screen. Plain state, no terminal: the screen is drawn from it.
/// </summary>
public sealed class ExplorerState
{
    private readonly ChangeLog _log;
    private readonly HashSet<string> _collapsed = new(StringComparer.Ordinal);
    private IReadOnlyList<TreeRow>? _rows;
    private string _filterBeforeEdit = "";

    public ExplorerState(ImageAnalysis analysis, ChangeLog log)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        ArgumentNullException.ThrowIfNull(log);
        Analysis = analysis;
        _log = log;
        // Built now: a key that changes the query looks up the cursor's path in the rows shown before it.
        _rows = TreeRows.Build(_log, Query, _collapsed);
    }

    public ImageAnalysis Analysis { get; }

    public ExplorerPane Focus { get; private set; } = ExplorerPane.Layers;

    public int Layer { get; private set; }

    public int LayerTop { get; private set; }

    public int FileCursor { get; private set; }

    public int FileTop { get; private set; }

    public bool LayerOnly { get; private set; }

    public bool WastedOnly { get; private set; }

    public string Filter { get; private set; } = "";

    /// <summary>True while the path filter is typed after <c>/</c>.</summary>
    public bool EditingFilter { get; private set; }

    public bool Quit { get; private set; }

    /// <summary>Rows each pane shows at once (set by the screen from the terminal's size).</summary>
    public int PageRows { get; private set; } = 20;

    public TreeQuery Query => new(Layer, LayerOnly, WastedOnly, Filter);

    public IReadOnlyList<TreeRow> Rows => _rows ??= TreeRows.Build(_log, Query, _collapsed);

    public TreeRow? CurrentRow => FileCursor < Rows.Count ? Rows[FileCursor] : null;

    /// <summary>Applies one key; <see cref="Quit"/> turns true on <c>q</c> or Ctrl-C.</summary>
    public void Handle(ExplorerKey key)
    {
        if (key.IsCtrlC)
        {
            Quit = true;
            return;
        }
        if (EditingFilter)
        {
            EditFilter(key);
            return;
        }
        switch (key.Key, key.KeyChar)
        {
            case (_, 'q'):
                Quit = true;
                break;
            case (ConsoleKey.Tab, _):
                Focus = Focus == ExplorerPane.Layers ? ExplorerPane.Files : ExplorerPane.Layers;
                break;
            case (ConsoleKey.UpArrow, _) or (_, 'k'):
                Move(-1);
                break;
            case (ConsoleKey.DownArrow, _) or (_, 'j'):
                Move(1);
                break;
            case (ConsoleKey.PageUp, _):
                Move(-PageRows);
                break;
            case (ConsoleKey.PageDown, _):
                Move(PageRows);
                break;
            case (ConsoleKey.Home, _) or (_, 'g'):
                Move(int.MinValue / 2);
                break;
            case (ConsoleKey.End, _) or (_, 'G'):
                Move(int.MaxValue / 2);
                break;
            case (ConsoleKey.Enter, _) or (ConsoleKey.Spacebar, _) or (_, ' '):
                if (Focus == ExplorerPane.Files) Fold(null);
                else Focus = ExplorerPane.Files;
                break;
            case (ConsoleKey.RightArrow, _) or (_, 'l'):
                if (Focus == ExplorerPane.Files) Fold(expand: true);
                break;
            case (ConsoleKey.LeftArrow, _) or (_, 'h'):
                if (Focus == ExplorerPane.Files) Fold(expand: false);
                break;
            case (_, 'w'):
                WastedOnly = !WastedOnly;
                Rebuild();
                break;
            case (_, 'c'):
                LayerOnly = !LayerOnly;
                Rebuild();
                break;
            case (_, '/'):
                EditingFilter = true;
                _filterBeforeEdit = Filter;
                break;
            case (ConsoleKey.Escape, _):
                if (Filter.Length > 0)
                {
                    Filter = "";
                    Rebuild();
                }
                break;
        }
    }

    /// <summary>Tells the state how many rows a pane shows; scroll offsets follow the cursors.</summary>
    public void Resize(int pageRows)
    {
        PageRows = Math.Max(1, pageRows);
        Scroll();
    }

    private void EditFilter(ExplorerKey key)
    {
        if (key.Key == ConsoleKey.Enter)
        {
            EditingFilter = false;
            return;
        }
        if (key.Key == ConsoleKey.Escape)
        {
            EditingFilter = false;
            Filter = _filterBeforeEdit;
        }
        else if (key.Key == ConsoleKey.Backspace || key.KeyChar == '\b' || key.KeyChar == '\u007f')
        {
            if (Filter.Length == 0) return;
            Filter = Filter[..^1];
        }
        else if (key.KeyChar >= ' ' && !char.IsControl(key.KeyChar))
        {
            Filter += key.KeyChar;
        }
        else
        {
            return;
        }
        // The tree follows each key typed (as dive's filter does).
        Rebuild();
    }

    private void Move(int delta)
    {
        if (Focus == ExplorerPane.Layers)
        {
            int next = Clamp(Layer + delta, Analysis.Layers.Count);
            if (next == Layer) return;
            Layer = next;
            Rebuild();
        }
        else
        {
            FileCursor = Clamp(FileCursor + delta, Rows.Count);
        }
        Scroll();
    }

    /// <summary>Toggles (null), expands or collapses the directory under the cursor.</summary>
    private void Fold(bool? expand)
    {
        if (CurrentRow is not { IsDirectory: true } row) return;
        bool collapse = expand is null ? row.Expanded : !expand.Value;
        if (collapse ? !_collapsed.Add(row.Path) : !_collapsed.Remove(row.Path)) return;
        Rebuild();
    }

    /// <summary>Recomputes the rows, keeping the cursor on the same path when it is still shown.</summary>
    private void Rebuild()
    {
        var path = CurrentRow?.Path;
        _rows = null;
        var rows = Rows;
        int at = -1;
        if (path is not null)
            for (int i = 0; i < rows.Count && at < 0; i++)
                if (rows[i].Path == path) at = i;
        FileCursor = at >= 0 ? at : Clamp(FileCursor, rows.Count);
        Scroll();
    }

    private void Scroll()
    {
        LayerTop = Follow(LayerTop, Layer, Analysis.Layers.Count);
        FileTop = Follow(FileTop, FileCursor, Rows.Count);
    }

    private int Follow(int top, int cursor, int count)
    {
        if (cursor < top) top = cursor;
        if (cursor >= top + PageRows) top = cursor - PageRows + 1;
        return Math.Max(0, Math.Min(top, Math.Max(0, count - PageRows)));
    }

    private static int Clamp(int value, int count) => count == 0 ? 0 : Math.Max(0, Math.Min(count - 1, value));
}
