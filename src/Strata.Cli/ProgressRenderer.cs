using Strata.Build.Progress;

namespace Strata.Cli;

/// <summary>The renderer a build reports to, and the live view behind it (if any) to finish at the end.</summary>
internal sealed record ProgressRenderer(IBuildProgress Progress, TtyBuildProgress? Tty) : IDisposable
{
    public void Dispose() => Tty?.Dispose();
}
