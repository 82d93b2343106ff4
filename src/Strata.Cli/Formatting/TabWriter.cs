using System.Text;

namespace Strata.Cli.Formatting;

/// <summary>
/// Aligns tab-separated cells into columns the way docker's table output does (Go tabwriter
/// with minwidth 10, padding 3, spaces): each tab-terminated cell is padded to its column's
/// widest cell + 3; the last cell of a line is not padded.
/// </summary>
internal static class TabWriter
{
    public static string Align(string text, int minWidth = 10, int padding = 3)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = text.Split('\n');
        var cells = lines.Select(l => l.Split('\t')).ToList();
        var output = new StringBuilder();
        // Go's tabwriter aligns a column over a block of consecutive lines that have that column.
        int start = 0;
        while (start < cells.Count)
        {
            int end = start;
            while (end < cells.Count && cells[end].Length > 1) end++;
            if (end == start)
            {
                output.Append(cells[start][0]);
                if (start < cells.Count - 1) output.Append('\n');
                start++;
                continue;
            }
            int columns = cells.Skip(start).Take(end - start).Max(c => c.Length) - 1;
            var widths = new int[columns];
            for (int col = 0; col < columns; col++)
            {
                int width = 0;
                for (int i = start; i < end; i++)
                    if (col < cells[i].Length - 1) width = Math.Max(width, Width(cells[i][col]));
                widths[col] = Math.Max(width + padding, minWidth);
            }
            for (int i = start; i < end; i++)
            {
                var row = cells[i];
                for (int col = 0; col < row.Length - 1; col++)
                {
                    output.Append(row[col]);
                    output.Append(' ', widths[col] - Width(row[col]));
                }
                output.Append(row[^1]);
                if (i < cells.Count - 1) output.Append('\n');
            }
            start = end;
        }
        return output.ToString();
    }

    private static int Width(string cell) => cell.EnumerateRunes().Count();
}
