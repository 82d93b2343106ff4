namespace Strata.Execution;

/// <summary>How a container's process ended.</summary>
/// <param name="ExitCode">The process's exit status; 128 + N when it was killed by signal N (as a shell reports it).</param>
/// <param name="Duration">Wall time from starting the runtime to the process's exit.</param>
public sealed record ExecutionResult(int ExitCode, TimeSpan Duration);
