using Spectre.Console;
using Strata.Core;

namespace Strata.Cli;

/// <summary>
/// The live view of a long transfer on a terminal: one row per item (a layer of a pull, push,
/// load or save; a root filesystem imported; a container exported or committed) with its words,
/// a bar, the percentage and bytes done of its size, drawn by Spectre.Console's progress display,
/// whose last frame stays on screen so the verb's final lines follow it. The display runs from
/// <see cref="Start"/> to <see cref="FinishAsync"/>; nothing else may write to the terminal in
/// between. Thread-safe: items report from several tasks.
/// </summary>
internal sealed class TransferBars
{
    private readonly IAnsiConsole _console;
    private readonly ProgressColumn _sizes;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ProgressTask> _rows = [];
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ProgressContext? _context;
    private Task? _display;

    /// <summary>Pull and push bars: sizes as Spectre's download column writes them.</summary>
    public TransferBars(IAnsiConsole console)
        : this(console, new DownloadedColumn())
    {
    }

    private TransferBars(IAnsiConsole console, ProgressColumn sizes)
    {
        _console = console;
        _sizes = sizes;
    }

    /// <summary>Pull and push draw on stdout, as docker does; a terminal that is not "dumb".</summary>
    public static bool Wanted() => Wanted(Console.IsOutputRedirected);

    /// <summary>Whether bars can go to stderr (the verb's output, an archive, goes to stdout).</summary>
    public static bool WantedOnError() => Wanted(Console.IsErrorRedirected);

    private static bool Wanted(bool redirected) =>
        !redirected && Environment.GetEnvironmentVariable("TERM") is not (null or "" or "dumb");

    /// <summary>
    /// Bars for <see cref="ByteProgress"/> items, sizes as docker's progress writes them
    /// (<c>1.2MB/5.874MB</c>), on stdout or (<paramref name="onError"/>) stderr.
    /// </summary>
    public static TransferBars ForBytes(bool onError) => new(TerminalConsole(onError ? Console.Error : Console.Out), new ByteSizeColumn());

    /// <summary>
    /// A console on <paramref name="terminal"/>. Spectre judges interactivity by stdin and stdout,
    /// which may be the archive (<c>load &lt; x.tar</c>, <c>save &gt; x.tar</c>); the caller
    /// checked that <paramref name="terminal"/> is one (<see cref="Wanted()"/>,
    /// <see cref="WantedOnError"/>), so it is said outright rather than detected.
    /// </summary>
    private static IAnsiConsole TerminalConsole(TextWriter terminal) => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(terminal),
        Ansi = AnsiSupport.Yes,
        Interactive = InteractionSupport.Yes,
    });

    /// <summary>
    /// Starts the display and returns what draws a library's <see cref="ByteProgress"/> reports:
    /// one row per item, described by <paramref name="describe"/> (given the item).
    /// </summary>
    public IProgress<ByteProgress> Watch(Func<string, string> describe)
    {
        ArgumentNullException.ThrowIfNull(describe);
        Start();
        return new InlineProgress<ByteProgress>(p => Update(p.Item, describe(p.Item), p.Done, p.Total));
    }

    /// <summary>Starts the display (once); returns when rows can be added.</summary>
    public void Start()
    {
        lock (_gate)
        {
            if (_display is not null) return;
            var ready = new TaskCompletionSource<ProgressContext>(TaskCreationOptions.RunContinuationsAsynchronously);
            _display = _console.Progress()
                .AutoClear(false)
                .HideCompleted(false)
                .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), _sizes)
                .StartAsync(async context =>
                {
                    ready.SetResult(context);
                    await _done.Task.ConfigureAwait(false);
                });
            // The display hands its context to the callback at once; a display that failed to start says why here.
            var first = Task.WhenAny(ready.Task, _display).GetAwaiter().GetResult();
            if (first == _display) _display.GetAwaiter().GetResult();
            _context = ready.Task.Result;
        }
    }

    /// <summary>Sets <paramref name="blob"/>'s row (made on first use) to <paramref name="state"/> and <paramref name="done"/> bytes.</summary>
    public void Update(Descriptor blob, string state, long? done = null)
    {
        ArgumentNullException.ThrowIfNull(blob);
        lock (_gate)
        {
            var row = RowOf(blob.Digest.ShortHex, blob.Size);
            row.Description = Markup.Escape($"{blob.Digest.ShortHex}: {state}");
            if (done is long bytes) row.Value = Math.Min(bytes, row.MaxValue);
        }
    }

    /// <summary>Fills <paramref name="blob"/>'s row and names its final state.</summary>
    public void Complete(Descriptor blob, string state)
    {
        ArgumentNullException.ThrowIfNull(blob);
        lock (_gate)
        {
            var row = RowOf(blob.Digest.ShortHex, blob.Size);
            row.Description = Markup.Escape($"{blob.Digest.ShortHex}: {state}");
            Fill(row);
        }
    }

    /// <summary>
    /// Sets <paramref name="item"/>'s row (made on first use) to <paramref name="done"/> bytes of
    /// <paramref name="total"/>; complete when they are equal. An unknown total leaves the bar
    /// indeterminate (the bytes still count) until <see cref="FinishAsync"/>.
    /// </summary>
    public void Update(string item, string description, long done, long? total)
    {
        lock (_gate)
        {
            var row = RowOf(item, total);
            row.Description = Markup.Escape(description);
            if (total is long known)
            {
                row.IsIndeterminate = false;
                if (row.MaxValue != Math.Max(1, known)) row.MaxValue = Math.Max(1, known);
                if (done >= known)
                {
                    Fill(row);
                    return;
                }
            }
            else if (done >= row.MaxValue)
            {
                // The value never passes the end: an unknown end keeps one byte ahead.
                row.MaxValue = done + 1;
            }
            // Reports from several threads may arrive out of order: a bar never goes back.
            if (done > row.Value) row.Value = done;
        }
    }

    /// <summary>Draws the last frame and ends the display; what is written next goes under it.</summary>
    public async Task FinishAsync()
    {
        Task? display;
        lock (_gate)
        {
            display = _display;
            // A stream of unknown length ended with the operation: its bar is whole.
            foreach (var row in _rows.Values.Where(r => r.IsIndeterminate))
            {
                row.IsIndeterminate = false;
                row.MaxValue = Math.Max(1, row.Value);
                Fill(row);
            }
        }
        if (display is null) return;
        _done.TrySetResult();
        await display.ConfigureAwait(false);
    }

    private static void Fill(ProgressTask row)
    {
        row.Value = row.MaxValue;
        row.StopTask();
    }

    private ProgressTask RowOf(string item, long? total)
    {
        if (_rows.TryGetValue(item, out var row)) return row;
        if (_context is null) throw new InvalidOperationException("the progress display was not started");
        // A bar needs a positive end; an empty item is whole at once.
        row = _context.AddTask(Markup.Escape(item), autoStart: true, maxValue: Math.Max(1, total ?? 1));
        row.IsIndeterminate = total is null;
        _rows[item] = row;
        return row;
    }
}
