using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Strata.Build.Progress;

namespace Strata.Cli;

/// <summary>
/// BuildKit's <c>--progress=plain</c> shape on stderr: <c>#N name</c>, output lines prefixed with
/// the step and seconds since it started, <c>#N DONE 0.1s</c>, <c>#N CACHED</c> or <c>#N ERROR</c>.
/// Strata adds <c>#N CACHE MISS: reason</c> and, for a --link step whose layer is reused on a new
/// parent, <c>#N REBASED onto a new parent: reason</c> before its <c>#N CACHED</c>.
/// Lines of concurrent stages interleave, each tagged with its step.
/// </summary>
internal sealed class PlainBuildProgress : IBuildProgress
{
    private readonly TextWriter _out;
    private readonly ConcurrentDictionary<int, Stopwatch> _clocks = new();
    private readonly Lock _lock = new();

    public PlainBuildProgress(TextWriter output) => _out = output;

    public void StepStarted(int id, string name)
    {
        _clocks[id] = Stopwatch.StartNew();
        Write($"#{id} {name}");
    }

    public void StepOutput(int id, string line)
    {
        var elapsed = _clocks.TryGetValue(id, out var sw) ? sw.Elapsed.TotalSeconds : 0;
        Write($"#{id} {elapsed.ToString("0.000", CultureInfo.InvariantCulture)} {line}");
    }

    public void StepCompleted(int id, TimeSpan duration, bool cached) =>
        Write(cached ? $"#{id} CACHED" : $"#{id} DONE {duration.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)}s");

    public void StepFailed(int id, string error) => Write($"#{id} ERROR: {error}");

    public void StepCacheMiss(int id, string reason) => Write($"#{id} CACHE MISS: {reason}");

    public void StepCacheRebased(int id, string reason) => Write($"#{id} REBASED onto a new parent: {reason}");

    public void StepCacheExplained(int id, string line) => Write($"#{id}   {line}");

    private void Write(string line)
    {
        lock (_lock)
        {
            _out.WriteLine(line);
            _out.Flush();
        }
    }
}
