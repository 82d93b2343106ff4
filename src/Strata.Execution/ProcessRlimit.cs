namespace Strata.Execution;

/// <summary>One POSIX resource limit of the container's process (<c>--ulimit nofile=1024:2048</c>).</summary>
/// <param name="Type">The runtime-spec name, <c>RLIMIT_NOFILE</c> and so on.</param>
/// <param name="Soft">The soft limit.</param>
/// <param name="Hard">The hard limit (at least <paramref name="Soft"/>).</param>
public sealed record ProcessRlimit(string Type, ulong Soft, ulong Hard);
