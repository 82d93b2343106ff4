namespace Strata.Analysis.Interactive;

/// <summary>How a cell is drawn; the terminal maps each to its escape sequence.</summary>
public enum CellStyle
{
    Normal,
    Title,
    Dim,
    Added,
    Modified,
    Removed,
    Wasted,

    /// <summary>The cursor row of the focused pane.</summary>
    Cursor,

    /// <summary>The cursor row of the other pane.</summary>
    CursorInactive,
}
