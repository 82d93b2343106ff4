using Spectre.Console;
using Strata.Core;

namespace Strata.Cli;

/// <summary>
/// The live view of a pull or push on a terminal: one row per layer (its short digest and
/// docker's word for its state, a bar, the percentage, bytes done of its size), drawn by
/// Spectre.Console's progress display, whose last frame stays on screen so docker's final lines
/// follow it. The display runs from <see cref="Start"/> to <see cref="FinishAsync"/>; nothing
/// else may write to the terminal in between. Thread-safe: layers report from several tasks.
/// </summary>
internal sealed class TransferBars
{
    private readonly IAnsiConsole _console;
    private readonly Lock _gate = new();
    private readonly Dictionary<Digest, ProgressTask> _rows = [];
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ProgressContext? _context;
    private Task? _display;

    public TransferBars(IAnsiConsole console) => _console = console;

    /// <summary>Pull and push draw on stdout, as docker does; a terminal that is not "dumb".</summary>
    public static bool Wanted() =>
        !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("TERM") is not (null or "" or "dumb");

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
                .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new DownloadedColumn())
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
        lock (_gate)
        {
            var row = RowOf(blob);
            row.Description = Describe(blob, state);
            if (done is long bytes) row.Value = Math.Min(bytes, row.MaxValue);
        }
    }

    /// <summary>Fills <paramref name="blob"/>'s row and names its final state.</summary>
    public void Complete(Descriptor blob, string state)
    {
        lock (_gate)
        {
            var row = RowOf(blob);
            row.Description = Describe(blob, state);
            row.Value = row.MaxValue;
            row.StopTask();
        }
    }

    /// <summary>Draws the last frame and ends the display; what is written next goes under it.</summary>
    public async Task FinishAsync()
    {
        Task? display;
        lock (_gate) display = _display;
        if (display is null) return;
        _done.TrySetResult();
        await display.ConfigureAwait(false);
    }

    private ProgressTask RowOf(Descriptor blob)
    {
        if (_rows.TryGetValue(blob.Digest, out var row)) return row;
        if (_context is null) throw new InvalidOperationException("the progress display was not started");
        // A bar needs a positive end; an empty blob is whole at once.
        row = _context.AddTask(Describe(blob, ""), autoStart: true, maxValue: Math.Max(1, blob.Size));
        _rows[blob.Digest] = row;
        return row;
    }

    private static string Describe(Descriptor blob, string state) => Markup.Escape($"{blob.Digest.ShortHex}: {state}");
}
