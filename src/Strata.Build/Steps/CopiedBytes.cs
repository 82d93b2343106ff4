using Strata.Build.Progress;

namespace Strata.Build.Steps;

/// <summary>
/// Adds up the file sizes a COPY or ADD reports as it copies (<see cref="FileOps.CopyRequest.Copied"/>)
/// and tells the build's progress the running total for the step's line. Thread-safe: a tree's
/// files are copied on several threads.
/// </summary>
internal sealed class CopiedBytes(IBuildProgress progress, int id) : IProgress<long>
{
    private long _total;

    public void Report(long value) => progress.StepTransferred(id, Interlocked.Add(ref _total, value));
}
