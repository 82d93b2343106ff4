using System.Globalization;
using System.Text;
using Strata.Build.Progress;
using Strata.Cli.Formatting;

namespace Strata.Cli;

/// <summary>
/// The live terminal view: a header with the elapsed time and one line per step (spinner and
/// elapsed time while running, <c>DONE 1.2s</c>, <c>CACHED</c>, <c>ERROR</c>; a step that missed
/// the cache says why on its own line, <c>(miss: file changed: a.txt)</c>, cut last; a COPY shows the
/// bytes it copied so far, <c>104.9MB DONE 2.1s</c>), and under each
/// running step its last <see cref="TailLines"/> output lines. A timer redraws the frame in place
/// with ANSI cursor movement (no reflection, so AOT-safe); <see cref="Finish"/> draws the final
/// frame, which stays on screen. The frame text comes from <see cref="RenderFrame"/>, a pure
/// function of the events and the clock, so it is tested without a terminal.
/// Thread-safe: stages report from several threads; one lock guards the model and the writer.
/// </summary>
internal sealed class TtyBuildProgress : IBuildProgress, IDisposable
{
    /// <summary>Output lines shown under a running step.</summary>
    public const int TailLines = 3;

    private static readonly string[] Spinner = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

    private readonly TextWriter _out;
    private readonly TimeProvider _time;
    private readonly Func<(int Width, int Height)> _size;
    private readonly Lock _lock = new();
    private readonly SortedDictionary<int, Step> _steps = [];
    private readonly DateTimeOffset _started;
    private ITimer? _timer;
    private int _drawnLines;
    private bool _finished;

    /// <param name="output">The terminal (stderr).</param>
    /// <param name="time">The clock; tests pass a fake one.</param>
    /// <param name="size">The terminal's columns and rows, asked at every redraw.</param>
    /// <param name="redrawInterval">How often the frame is redrawn; <see cref="Timeout.InfiniteTimeSpan"/> draws only on <see cref="Redraw"/> and <see cref="Finish"/>.</param>
    public TtyBuildProgress(TextWriter output, TimeProvider time, Func<(int Width, int Height)> size, TimeSpan redrawInterval)
    {
        _out = output;
        _time = time;
        _size = size;
        _started = time.GetUtcNow();
        if (redrawInterval != Timeout.InfiniteTimeSpan)
            _timer = time.CreateTimer(_ => Redraw(), null, redrawInterval, redrawInterval);
    }

    public static TtyBuildProgress ForConsole() =>
        new(Console.Error, TimeProvider.System, ConsoleSize, TimeSpan.FromMilliseconds(100));

    public void StepStarted(int id, string name)
    {
        lock (_lock) _steps[id] = new Step(name, _time.GetUtcNow());
    }

    public void StepOutput(int id, string line)
    {
        lock (_lock)
        {
            if (!_steps.TryGetValue(id, out var step)) return;
            step.Tail.Enqueue(line);
            while (step.Tail.Count > TailLines) step.Tail.Dequeue();
        }
    }

    public void StepCompleted(int id, TimeSpan duration, bool cached)
    {
        lock (_lock)
        {
            if (!_steps.TryGetValue(id, out var step)) return;
            step.State = cached ? StepState.Cached : StepState.Done;
            step.Duration = duration;
            step.Tail.Clear();
        }
    }

    /// <summary>A COPY's bytes so far, shown before its status; a smaller count than one already shown is stale (files copied in parallel).</summary>
    public void StepTransferred(int id, long bytes)
    {
        lock (_lock)
        {
            if (_steps.TryGetValue(id, out var step) && bytes > step.Transferred) step.Transferred = bytes;
        }
    }

    public void StepCacheMiss(int id, string reason) => Why(id, "miss: " + reason);

    public void StepCacheRebased(int id, string reason) => Why(id, "rebased: " + reason);

    private void Why(int id, string why)
    {
        lock (_lock)
        {
            if (_steps.TryGetValue(id, out var step)) step.Why = why;
        }
    }

    public void StepFailed(int id, string error)
    {
        lock (_lock)
        {
            if (!_steps.TryGetValue(id, out var step)) return;
            step.State = StepState.Error;
            step.Duration = _time.GetUtcNow() - step.Started;
            step.Error = error;
        }
    }

    /// <summary>Stops the timer and draws the final frame, which stays on screen.</summary>
    public void Finish()
    {
        lock (_lock)
        {
            if (_finished) return;
            _timer?.Dispose();
            _timer = null;
            DrawLocked(final: true);
            _finished = true;
        }
    }

    public void Dispose() => Finish();

    /// <summary>Redraws the frame in place (the timer calls this).</summary>
    public void Redraw()
    {
        lock (_lock)
        {
            if (!_finished) DrawLocked(final: false);
        }
    }

    /// <summary>
    /// The frame's lines, each at most <paramref name="width"/> characters: a header, then every
    /// step in id order, a running step followed by its output tail and a failed one by its error.
    /// </summary>
    public IReadOnlyList<string> RenderFrame(int width)
    {
        lock (_lock) return RenderLocked(_time.GetUtcNow(), width);
    }

    private List<string> RenderLocked(DateTimeOffset now, int width)
    {
        int done = _steps.Values.Count(s => s.State != StepState.Running);
        bool running = _steps.Values.Any(s => s.State == StepState.Running);
        var lines = new List<string>
        {
            $"[+] Building {Seconds(now - _started)} ({done}/{_steps.Count}){(running || _finished ? "" : " FINISHED")}",
        };
        foreach (var (id, step) in _steps)
        {
            var label = $"#{id.ToString(CultureInfo.InvariantCulture)} {step.Name}";
            string status = step.State switch
            {
                StepState.Running => $"{Spinner[(int)((now - step.Started).TotalMilliseconds / 100) % Spinner.Length]} {Seconds(now - step.Started)}",
                StepState.Done => $"DONE {Seconds(step.Duration)}",
                StepState.Cached => "CACHED",
                _ => $"ERROR {Seconds(step.Duration)}",
            };
            // A COPY's bytes, as BuildKit shows a transfer's ("12.35MB"): they grow while it runs.
            if (step.Transferred > 0) status = HumanUnits.HumanSize(step.Transferred) + " " + status;
            lines.Add(Row(" => " + label, step.Why is null ? "" : " (" + step.Why + ")", status, width));
            if (step.State == StepState.Running)
                foreach (var tail in step.Tail) lines.Add(Clip("    > " + tail, width));
            else if (step.State == StepState.Error && step.Error is not null)
                lines.Add(Clip("    ! " + step.Error.ReplaceLineEndings(" "), width));
        }
        return lines;
    }

    private void DrawLocked(bool final)
    {
        var (width, height) = _size();
        var lines = RenderLocked(_time.GetUtcNow(), Math.Max(20, width));
        // Lines that scrolled off the top cannot be redrawn: the live frame shows the newest rows
        // that fit; the final frame is printed whole.
        if (!final && lines.Count > height - 1) lines = [lines[0], .. lines.Skip(lines.Count - (height - 2))];
        var sb = new StringBuilder();
        if (_drawnLines > 0) sb.Append("\e[").Append(_drawnLines).Append('F');
        foreach (var line in lines) sb.Append(line).Append("\e[K\n");
        sb.Append("\e[J");
        _drawnLines = lines.Count;
        _out.Write(sb.ToString());
        _out.Flush();
    }

    /// <summary>The step's line: its label cut first, so the miss reason after it stays in view.</summary>
    private static string Row(string label, string why, string status, int width)
    {
        int room = width - status.Length - 1;
        if (room < 8) return Clip(label + why + " " + status, width);
        if (why.Length > 0)
        {
            // At least "#N [x/y]" of the label stays; the rest of the room goes to the reason.
            label = Clip(label, Math.Min(label.Length, Math.Max(room - why.Length, 16))) + why;
        }
        label = Clip(label, room);
        return label.PadRight(room) + " " + status;
    }

    /// <summary>Cuts a line to the width (a wrapped line would break the cursor arithmetic) and removes control characters.</summary>
    private static string Clip(string text, int width)
    {
        var sb = new StringBuilder(Math.Min(text.Length, width));
        foreach (var c in text)
        {
            if (sb.Length >= width) break;
            sb.Append(c == '\t' ? ' ' : char.IsControl(c) ? '?' : c);
        }
        return sb.ToString();
    }

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + "s";

    private static (int Width, int Height) ConsoleSize()
    {
        try { return (Console.WindowWidth > 0 ? Console.WindowWidth : 80, Console.WindowHeight > 2 ? Console.WindowHeight : 24); }
        catch (IOException) { return (80, 24); }
    }

    private enum StepState { Running, Done, Cached, Error }

    private sealed class Step(string name, DateTimeOffset started)
    {
        public string Name { get; } = name;
        public DateTimeOffset Started { get; } = started;
        public StepState State { get; set; }
        public TimeSpan Duration { get; set; }
        public string? Error { get; set; }
        public string? Why { get; set; }
        public long Transferred { get; set; }
        public Queue<string> Tail { get; } = new();
    }
}
