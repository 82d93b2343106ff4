using System.Runtime.InteropServices;
using System.Text;
using System.Threading.Channels;
using Strata.Analysis.Interactive;

namespace Strata.Cli;

/// <summary>
/// The terminal side of <c>analyze -i</c>, kept thin: the alternate screen with the cursor
/// hidden, keys read raw (no echo, Ctrl-C as a key) on a thread of their own, a redraw after
/// each batch of keys or a size change (SIGWINCH), only the lines that changed sent. Whatever
/// ends the loop (q, Ctrl-C, SIGINT/SIGTERM, an exception) restores the screen, the cursor and
/// the terminal's modes before returning.
/// </summary>
internal static class TerminalExplorer
{
    private const string Esc = "\u001b[";

    public static async Task RunAsync(ExplorerState state, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var events = Channel.CreateUnbounded<ExplorerKey?>();
        // A null event is "the size may have changed": redraw.
        using var winch = PosixSignalRegistration.Create(PosixSignal.SIGWINCH, _ => events.Writer.TryWrite(null));
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
        using var hup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, c => { c.Cancel = true; stop.Cancel(); });
        using var output = Console.OpenStandardOutput();
        bool treatCtrlC = Console.TreatControlCAsInput;
        Console.TreatControlCAsInput = true;
        Send(output, Esc + "?1049h" + Esc + "?25l" + Esc + "0m" + Esc + "2J");
        try
        {
            var reader = new Thread(() => ReadKeys(events.Writer)) { IsBackground = true, Name = "analyze -i keys" };
            reader.Start();
            ScreenBuffer? shown = null;
            while (!state.Quit)
            {
                int width = Math.Max(1, Console.WindowWidth), height = Math.Max(1, Console.WindowHeight);
                var frame = ExplorerScreen.Draw(state, width, height);
                Send(output, Diff(shown, frame));
                shown = frame;
                var next = await events.Reader.ReadAsync(stop.Token).ConfigureAwait(false);
                if (next is { } key) state.Handle(key);
                // Keys typed ahead are applied before the next frame.
                while (!state.Quit && events.Reader.TryRead(out var more))
                    if (more is { } k) state.Handle(k);
            }
        }
        catch (ChannelClosedException)
        {
            // Standard input ended: nothing more can be asked of the view.
        }
        finally
        {
            Send(output, Esc + "0m" + Esc + "?25h" + Esc + "?1049l");
            Console.TreatControlCAsInput = treatCtrlC;
        }
    }

    private static void ReadKeys(ChannelWriter<ExplorerKey?> writer)
    {
        try
        {
            while (true) writer.TryWrite(ExplorerKey.From(Console.ReadKey(intercept: true)));
        }
#pragma warning disable CA1031 // Any failure reaches the loop (as the channel's error), which restores the terminal first.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            // No more input (end of file, no terminal) just ends the view; anything else is rethrown by the loop.
            writer.TryComplete(ex is InvalidOperationException or IOException ? null : ex);
        }
    }

    /// <summary>The escape sequences that turn <paramref name="before"/> into <paramref name="after"/> (everything on a new size).</summary>
    private static string Diff(ScreenBuffer? before, ScreenBuffer after)
    {
        var text = new StringBuilder();
        bool full = before is null || before.Width != after.Width || before.Height != after.Height;
        if (full) text.Append(Esc).Append("0m").Append(Esc).Append("2J");
        for (int row = 0; row < after.Height; row++)
        {
            if (!full && before!.Cells(row).SequenceEqual(after.Cells(row)) && before.Styles(row).SequenceEqual(after.Styles(row))) continue;
            text.Append(Esc).Append(row + 1).Append(";1H");
            var cells = after.Cells(row);
            var styles = after.Styles(row);
            int end = cells.Length;
            while (end > 0 && cells[end - 1] == ' ' && styles[end - 1] == CellStyle.Normal) end--;
            // Never the bottom-right cell: some terminals scroll when it is written.
            if (row == after.Height - 1) end = Math.Min(end, after.Width - 1);
            CellStyle? current = null;
            for (int col = 0; col < end; col++)
            {
                if (styles[col] != current)
                {
                    current = styles[col];
                    text.Append(Sgr(current.Value));
                }
                text.Append(cells[col]);
            }
            text.Append(Esc).Append("0m").Append(Esc).Append('K');
        }
        return text.ToString();
    }

    private static string Sgr(CellStyle style) => Esc + style switch
    {
        CellStyle.Title => "0;1m",
        CellStyle.Dim => "0;2m",
        CellStyle.Added => "0;32m",
        CellStyle.Modified => "0;33m",
        CellStyle.Removed => "0;31m",
        CellStyle.Wasted => "0;35m",
        CellStyle.Cursor => "0;7m",
        CellStyle.CursorInactive => "0;4m",
        _ => "0m",
    };

    private static void Send(Stream output, string text)
    {
        output.Write(Encoding.UTF8.GetBytes(text));
        output.Flush();
    }
}
