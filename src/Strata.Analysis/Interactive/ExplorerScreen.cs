using System.Globalization;
using Strata.Analysis.Image;
using Strata.Archive;

namespace Strata.Analysis.Interactive;

/// <summary>
/// Draws the state into a screen buffer: a summary line, the layer list (index, size, wasted
/// bytes, instruction) beside the file tree (change mark, size, wasted mark, path), the
/// selected layer's details and the keys. Only text and styles: the terminal sends them.
/// </summary>
public static class ExplorerScreen
{
    /// <summary>Rows above and below the panes: summary, titles, column headers; layer details, keys.</summary>
    private const int Chrome = 5;
    public const int MinWidth = 60;
    public const int MinHeight = Chrome + 3;

    /// <summary>Rows each pane shows on a terminal this high.</summary>
    public static int PageRows(int height) => Math.Max(1, height - Chrome);

    /// <summary>Columns of the layer pane on a terminal this wide; the file tree gets the rest after the separator.</summary>
    public static int LayerPaneWidth(int width) => Math.Clamp(width * 2 / 5, 30, 70);

    public static ScreenBuffer Draw(ExplorerState state, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(state);
        var screen = new ScreenBuffer(width, height);
        if (width < MinWidth || height < MinHeight)
        {
            screen.Put(0, 0, $"terminal too small ({width}x{height}, needs {MinWidth}x{MinHeight}); q quits");
            return screen;
        }
        state.Resize(PageRows(height));
        var a = state.Analysis;
        screen.Put(0, 0, $" {a.Image}  {a.Layers.Count.ToString(CultureInfo.InvariantCulture)} layers  {HumanBytes.Format(a.TotalBytes)} in layers, {HumanBytes.Format(a.ShippedBytes)} shipped  wasted {HumanBytes.Format(a.WastedBytes)} (user {HumanBytes.Format(a.UserWastedBytes)})  efficiency {(a.Efficiency * 100).ToString("0.##", CultureInfo.InvariantCulture)} %", CellStyle.Title);
        screen.Paint(0, 0, width, CellStyle.Title);

        int left = LayerPaneWidth(width);
        int right = left + 1;
        int rightWidth = width - right;
        for (int row = 1; row < height - 2; row++) screen.Put(row, left, "|", CellStyle.Dim);
        DrawLayers(screen, state, left);
        DrawFiles(screen, state, right, rightWidth);
        DrawDetails(screen, state, height - 2);
        DrawKeys(screen, state, height - 1);
        return screen;
    }

    private static void DrawLayers(ScreenBuffer screen, ExplorerState state, int width)
    {
        bool focused = state.Focus == ExplorerPane.Layers;
        screen.Put(1, 0, focused ? "[Layers]" : " Layers", focused ? CellStyle.Title : CellStyle.Normal, width);
        screen.Put(2, 0, "   #       Size     Wasted  Instruction", CellStyle.Dim, width);
        var layers = state.Analysis.Layers;
        for (int i = 0; i < state.PageRows && state.LayerTop + i < layers.Count; i++)
        {
            var l = layers[state.LayerTop + i];
            bool selected = l.Index == state.Layer;
            var text = $"{(selected ? '>' : ' ')}{l.Index.ToString(CultureInfo.InvariantCulture),3} {HumanBytes.Format(l.Size),10} {HumanBytes.Format(l.WastedBytes),10}  {AnalysisTextReport.Describe(l.Instruction, l.Source)}";
            screen.Put(3 + i, 0, text, l.WastedBytes > 0 ? CellStyle.Wasted : CellStyle.Normal, width);
            if (selected) screen.Paint(3 + i, 0, width, focused ? CellStyle.Cursor : CellStyle.CursorInactive);
        }
    }

    private static void DrawFiles(ScreenBuffer screen, ExplorerState state, int col, int width)
    {
        bool focused = state.Focus == ExplorerPane.Files;
        var title = $"Files: layer {state.Layer.ToString(CultureInfo.InvariantCulture)}, {(state.LayerOnly ? "its changes only" : "the image as of it")}"
            + (state.WastedOnly ? ", wasted only" : "")
            + (state.Filter.Length > 0 ? $", paths with \"{state.Filter}\"" : "");
        screen.Put(1, col, focused ? $"[{title}]" : $" {title}", focused ? CellStyle.Title : CellStyle.Normal, width);
        screen.Put(2, col, " C       Size  W  Path", CellStyle.Dim, width);
        var rows = state.Rows;
        if (rows.Count == 0) screen.Put(3, col, "  (no files to show)", CellStyle.Dim, width);
        for (int i = 0; i < state.PageRows && state.FileTop + i < rows.Count; i++)
        {
            int index = state.FileTop + i;
            var r = rows[index];
            var style = r.Kind switch
            {
                ChangeKind.Added => CellStyle.Added,
                ChangeKind.Modified => CellStyle.Modified,
                ChangeKind.Removed => CellStyle.Removed,
                _ => r.Wasted ? CellStyle.Wasted : CellStyle.Normal,
            };
            screen.Put(3 + i, col, Row(r, index == state.FileCursor), style, width);
            if (index == state.FileCursor) screen.Paint(3 + i, col, width, focused ? CellStyle.Cursor : CellStyle.CursorInactive);
        }
    }

    /// <summary>One file tree row: cursor, change mark (<c>+</c> added, <c>~</c> modified, <c>-</c> removed), size, <c>w</c> when wasted, indented name (directories <c>[-]</c> open, <c>[+]</c> folded).</summary>
    public static string Row(TreeRow row, bool cursor)
    {
        ArgumentNullException.ThrowIfNull(row);
        char mark = row.Kind switch { ChangeKind.Added => '+', ChangeKind.Modified => '~', ChangeKind.Removed => '-', _ => ' ' };
        string fold = row.IsDirectory ? row.Expanded ? "[-] " : "[+] " : "";
        string suffix = row.IsDirectory ? "/" : row.Type == LayerEntryType.Symlink ? "@" : "";
        return $"{(cursor ? '>' : ' ')}{mark} {HumanBytes.Format(row.Size),10}  {(row.Wasted ? 'w' : ' ')}  {new string(' ', row.Depth * 2)}{fold}{row.Name}{suffix}";
    }

    private static void DrawDetails(ScreenBuffer screen, ExplorerState state, int row)
    {
        if (state.Analysis.Layers.Count == 0)
        {
            screen.Put(row, 0, " (the image has no layers)");
            return;
        }
        var l = state.Analysis.Layers[state.Layer];
        var digest = l.Digest.Length > 19 ? l.Digest[..19] : l.Digest;
        screen.Put(row, 0, $" layer {l.Index.ToString(CultureInfo.InvariantCulture)}{(l.IsBase ? " (base)" : "")}: {digest}  +{l.Added.ToString(CultureInfo.InvariantCulture)} ~{l.Modified.ToString(CultureInfo.InvariantCulture)} -{l.Removed.ToString(CultureInfo.InvariantCulture)}  {AnalysisTextReport.Describe(l.Instruction, l.Source)}", CellStyle.Dim);
    }

    private static void DrawKeys(ScreenBuffer screen, ExplorerState state, int row)
    {
        if (state.EditingFilter)
        {
            screen.Put(row, 0, $" filter paths: {state.Filter}_   (Enter keeps it, Esc cancels)", CellStyle.Title);
            return;
        }
        screen.Put(row, 0, $" q quit  Tab pane  j/k move  Enter/Space fold  c {(state.LayerOnly ? "whole image" : "layer changes")}  w {(state.WastedOnly ? "all files" : "wasted only")}  / filter  Esc clear filter", CellStyle.Dim);
    }
}
