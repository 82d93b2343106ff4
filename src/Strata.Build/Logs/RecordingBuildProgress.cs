using Strata.Build.Progress;

namespace Strata.Build.Logs;

/// <summary>
/// Forwards every event to an inner renderer and records the build under
/// <c>&lt;store&gt;/builds/&lt;id&gt;/</c>: each step's full output streamed to <c>step-N.log</c>
/// (made at its first line; nothing clipped, nothing buffered in memory beyond the writer's
/// buffer) and <c>build.json</c>, written when the build starts, when a step ran or failed, and at
/// the end. A step that starts, or ends cached, is written at most <see cref="Settle"/> later: a
/// no-op rebuild's cached steps come and go in microseconds, and rewriting the record (a file and
/// a rename each) for every one of them was most of its file system work, while a step that runs
/// longer is still listed as running. Thread-safe: stages report from several threads.
/// Recording failures (disk full) never fail the build; the recorder stops recording instead.
/// </summary>
public sealed class RecordingBuildProgress : IBuildProgress, IDisposable
{
    private readonly IBuildProgress _inner;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private readonly Dictionary<int, StreamWriter> _writers = [];
    private readonly SortedDictionary<int, BuildLogStep> _steps = [];
    private readonly List<BuildWarning> _warnings = [];
    private readonly DateTimeOffset _started;
    private readonly Timer _settle;
    private bool _broken;
    private bool _finished;

    /// <summary>A change not yet in <c>build.json</c>; the settle timer writes it.</summary>
    private bool _pending;

    /// <summary>How long a started or cached step may wait before <c>build.json</c> lists it.</summary>
    public static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(100);

    public RecordingBuildProgress(IBuildProgress inner, BuildLogStore store, TimeProvider time)
    {
        _inner = inner;
        _time = time;
        _started = time.GetUtcNow();
        Id = BuildLogStore.NewId(_started);
        Directory = store.BuildDirectory(Id);
        _settle = new Timer(_ => WritePending());
        try
        {
            System.IO.Directory.CreateDirectory(Directory);
            store.Prune(BuildLogStore.Keep);
            WriteRecord("running");
        }
        catch (IOException) { _broken = true; }
        catch (UnauthorizedAccessException) { _broken = true; }
    }

    public string Id { get; }

    public string Directory { get; }

    /// <summary>The front end's warnings so far, in the order they came.</summary>
    public IReadOnlyList<BuildWarning> Warnings
    {
        get
        {
            lock (_lock) return [.. _warnings];
        }
    }

    public void StepStarted(int id, string name)
    {
        lock (_lock)
        {
            _steps[id] = new BuildLogStep { Id = id, Name = name, State = "running" };
            Defer();
        }
        _inner.StepStarted(id, name);
    }

    public void StepOutput(int id, string line)
    {
        lock (_lock)
        {
            if (_steps.TryGetValue(id, out var step))
            {
                _steps[id] = step with { OutputLines = step.OutputLines + 1 };
                if (!_writers.ContainsKey(id) && step.State == "running") Record(() => _writers[id] = OpenLog(id));
            }
            if (_writers.TryGetValue(id, out var writer)) Record(() => writer.WriteLine(line));
        }
        _inner.StepOutput(id, line);
    }

    public void StepCompleted(int id, TimeSpan duration, bool cached)
    {
        lock (_lock)
        {
            Update(id, s => s with { State = cached ? "cached" : "done", Cached = cached, DurationSeconds = duration.TotalSeconds });
            CloseStep(id);
            if (cached) Defer();
            else Record(() => WriteRecord("running"));
        }
        _inner.StepCompleted(id, duration, cached);
    }

    public void StepFailed(int id, string error)
    {
        lock (_lock)
        {
            Update(id, s => s with { State = "error", Error = error });
            CloseStep(id);
            Record(() => WriteRecord("running"));
        }
        _inner.StepFailed(id, error);
    }

    public void StepCacheMiss(int id, string reason)
    {
        lock (_lock) Update(id, s => s with { MissReason = reason });
        _inner.StepCacheMiss(id, reason);
    }

    public void StepCacheRebased(int id, string reason) => _inner.StepCacheRebased(id, reason);

    public void StepCacheExplained(int id, string line) => _inner.StepCacheExplained(id, line);

    public void StepTransferred(int id, long bytes) => _inner.StepTransferred(id, bytes);

    public void Warning(BuildWarning warning)
    {
        lock (_lock)
        {
            _warnings.Add(warning);
            Record(() => WriteRecord("running"));
        }
        _inner.Warning(warning);
    }

    /// <summary>Marks the build finished (<c>done</c> or <c>error</c>) and closes every log.</summary>
    public void Finish(bool succeeded)
    {
        lock (_lock)
        {
            if (_finished) return;
            _finished = true;
            _settle.Dispose();
            foreach (var id in _writers.Keys.ToList()) CloseStep(id);
            Record(() => WriteRecord(succeeded ? "done" : "error", _time.GetUtcNow()));
        }
    }

    /// <summary>A build abandoned without <see cref="Finish"/> (an exception escaped) counts as failed.</summary>
    public void Dispose() => Finish(succeeded: false);

    private void Update(int id, Func<BuildLogStep, BuildLogStep> change)
    {
        if (_steps.TryGetValue(id, out var step)) _steps[id] = change(step);
    }

    private void CloseStep(int id)
    {
        if (!_writers.Remove(id, out var writer)) return;
        Record(writer.Dispose);
    }

    private StreamWriter OpenLog(int id) =>
        new(new FileStream(BuildLogStore.StepLogPath(Directory, id), FileMode.Append, FileAccess.Write, FileShare.Read)) { AutoFlush = false };

    /// <summary>Notes a change for the settle timer to write, unless a write comes first.</summary>
    private void Defer()
    {
        if (_pending || _finished || _broken) return;
        _pending = true;
        _settle.Change(Settle, Timeout.InfiniteTimeSpan);
    }

    private void WritePending()
    {
        lock (_lock)
        {
            if (_pending && !_finished) Record(() => WriteRecord("running"));
        }
    }

    private void WriteRecord(string state, DateTimeOffset? finished = null)
    {
        _pending = false;
        BuildLogStore.Write(Directory, new BuildLogRecord { Id = Id, Started = _started, Finished = finished, State = state, Steps = [.. _steps.Values], Warnings = _warnings.Count == 0 ? null : [.. _warnings.Select(w => w.WithLocation)] });
    }

    private void Record(Action action)
    {
        if (_broken) return;
        try { action(); }
        catch (IOException) { _broken = true; }
        catch (UnauthorizedAccessException) { _broken = true; }
    }
}
