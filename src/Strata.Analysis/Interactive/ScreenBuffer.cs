namespace Strata.Analysis.Interactive;

/// <summary>A screen's worth of characters and their styles, drawn once per frame and then sent to the terminal line by line.</summary>
public sealed class ScreenBuffer
{
    private readonly char[] _cells;
    private readonly CellStyle[] _styles;

    public ScreenBuffer(int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        Width = width;
        Height = height;
        _cells = new char[width * height];
        _styles = new CellStyle[width * height];
        Array.Fill(_cells, ' ');
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>Writes <paramref name="text"/> at (row, col), clipped to <paramref name="maxWidth"/> and the screen; control characters become spaces.</summary>
    public void Put(int row, int col, string text, CellStyle style = CellStyle.Normal, int maxWidth = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (row < 0 || row >= Height || col < 0) return;
        int end = (int)Math.Min((long)col + maxWidth, Width);
        for (int i = 0; i < text.Length && col + i < end; i++)
        {
            char c = text[i];
            _cells[(row * Width) + col + i] = c < ' ' || c == '\u007f' ? ' ' : c;
            _styles[(row * Width) + col + i] = style;
        }
    }

    /// <summary>Sets the style of a run of cells (a highlighted row) without changing their text.</summary>
    public void Paint(int row, int col, int length, CellStyle style)
    {
        if (row < 0 || row >= Height) return;
        for (int i = Math.Max(0, col); i < Math.Min(Width, col + length); i++) _styles[(row * Width) + i] = style;
    }

    public ReadOnlySpan<char> Cells(int row) => _cells.AsSpan(row * Width, Width);

    public ReadOnlySpan<CellStyle> Styles(int row) => _styles.AsSpan(row * Width, Width);

    /// <summary>The row's text without trailing spaces (what <c>tmux capture-pane</c> prints).</summary>
    public string Line(int row) => new string(Cells(row)).TrimEnd();
}
